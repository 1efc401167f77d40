/**
 * @inbox/sdk — receive and verify Inbox webhooks, and manage webhook endpoints.
 *
 * This entry verifies with node:crypto (synchronous `constructEvent`). Framework helpers live in
 * `@inbox/sdk/express`, `@inbox/sdk/nestjs` and `@inbox/sdk/web` (Web Crypto: Next.js, Bun, Deno,
 * edge workers), so an app without Nest or Express never loads them.
 */
export { constructEvent, verifySignature } from './verify.js';
export * from './shared-exports.js';
