/**
 * @inbox/sdk — receive and verify Inbox webhooks, and manage webhook endpoints.
 *
 * This entry verifies with node:crypto (synchronous `constructEvent`), and with Web Crypto too
 * (`constructEventAsync`, …). Under the edge runtimes' export conditions `@inbox/sdk` is edge.ts
 * instead: the same exports, Web Crypto only. Framework helpers live in `@inbox/sdk/express`,
 * `@inbox/sdk/nestjs` and `@inbox/sdk/web`, so an app without Nest or Express never loads them.
 */
export { constructEvent, verifySignature } from './verify.js';
export { generateTestHeaders } from './generate-test-headers.js';
export type { GenerateTestHeadersOptions, TestHeaders } from './test-headers.js';
// Web Crypto verification works on Node.js too; here so that both builds export the same names.
export { constructEventAsync, constructEventFromRequest, inboxWebhookRoute } from './web/index.js';
export type { InboxWebhookRouteOptions } from './web/index.js';
export * from './shared-exports.js';
