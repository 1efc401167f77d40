import { buildDeliveryHeaders } from '@inbox/signing';
import { testDelivery, type GenerateTestHeadersOptions, type TestHeaders } from './test-headers.js';

/**
 * The headers of a delivery of `payload`, signed with `secret` exactly as Inbox signs real ones
 * (by @inbox/signing's `buildDeliveryHeaders`, which the platform sends with): for unit tests of
 * your webhook route, which then verifies the request for real.
 *
 * ```ts
 * const payload = JSON.stringify(event);
 * const headers = await generateTestHeaders({ payload, secret });
 * await request(app).post('/webhooks/inbox').set(headers).send(payload).expect(200);
 * ```
 *
 * Asynchronous, like its Web Crypto twin in `@inbox/sdk/web`.
 */
export async function generateTestHeaders(options: GenerateTestHeadersOptions): Promise<TestHeaders> {
  return buildDeliveryHeaders(testDelivery(options)) as TestHeaders;
}
