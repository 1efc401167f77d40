/**
 * @inbox/sdk/web — verification with Web Crypto (`crypto.subtle`), no node:crypto: Next.js route
 * handlers (edge or node runtime), Bun, Deno, Cloudflare Workers. Same checks and error codes as
 * `constructEvent`, asynchronous.
 */
export { constructEventAsync, constructEventFromRequest } from './construct-event.js';
export { inboxWebhookRoute } from './route.js';
export type { InboxWebhookRouteOptions } from './route.js';
export { generateTestHeaders } from './generate-test-headers.js';
export type { GenerateTestHeadersOptions, TestHeaders } from '../test-headers.js';
export * from '../shared-exports.js';
