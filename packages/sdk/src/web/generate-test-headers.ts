import { decodeSecret, INBOX_SIGNATURE_PREFIX } from '@inbox/signing/web';
import { deliveryHeaders, testDelivery, type GenerateTestHeadersOptions, type TestHeaders } from '../test-headers.js';
import { concat } from './verify-web.js';

async function hmacSha256(key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const imported = await crypto.subtle.importKey('raw', key as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', imported, data as Uint8Array<ArrayBuffer>));
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

/**
 * `generateTestHeaders` with Web Crypto: the headers of a delivery of `payload`, signed with
 * `secret` as Inbox signs real ones (the same bytes as @inbox/signing's `buildDeliveryHeaders`,
 * which a test of this package holds it to), for unit tests of your webhook route.
 */
export async function generateTestHeaders(options: GenerateTestHeadersOptions): Promise<TestHeaders> {
  const delivery = testDelivery(options);
  const { body, secret, eventId, timestamp } = delivery;
  const utf8 = new TextEncoder();
  const [inbox, standard] = await Promise.all([
    // X-Inbox-Signature: keyed with the whole secret string; Standard Webhooks: with its decoded bytes.
    hmacSha256(utf8.encode(secret), body),
    hmacSha256(decodeSecret(secret)!, concat(utf8.encode(`${eventId}.${timestamp}.`), body)),
  ]);
  return deliveryHeaders(delivery, { inbox: INBOX_SIGNATURE_PREFIX + hex(inbox), standard: `v1,${base64(standard)}` });
}
