import type { WebhookEvent } from '@inbox/events';
import { assertRawBody, bodyBytes, parseVerifiedEvent, type RawBody } from '../event.js';
import type { HeadersLike } from '../headers.js';
import { secretList, toleranceOf, type ConstructEventOptions, type WebhookSecrets } from '../options.js';
import { importSecretKeys } from './secret-keys.js';
import { verifyWithWebCrypto } from './verify-web.js';

/**
 * `constructEvent` for runtimes with Web Crypto (`crypto.subtle`) and no node:crypto: Next.js
 * route handlers (edge or node), Bun, Deno, Cloudflare Workers. Same checks, same error codes.
 */
export async function constructEventAsync(
  rawBody: RawBody,
  headers: HeadersLike,
  secret: WebhookSecrets,
  options: ConstructEventOptions = {},
): Promise<WebhookEvent> {
  assertRawBody(rawBody, 'constructEventAsync');
  const toleranceSeconds = toleranceOf(options, 'constructEventAsync');
  const keys = await importSecretKeys(secretList(secret));
  const body = bodyBytes(rawBody);
  await verifyWithWebCrypto({
    body,
    headers,
    keys,
    toleranceSeconds,
    requireTimestamp: options.requireTimestamp === true,
    nowMs: (options.now ?? Date.now)(),
  });
  return parseVerifiedEvent(body);
}

/**
 * Reads a WHATWG `Request`'s raw body and verifies it: `(request) => Promise<event>`.
 * Consumes the body (call it once, before anything else reads the request).
 */
export async function constructEventFromRequest(
  request: Request,
  secret: WebhookSecrets,
  options: ConstructEventOptions = {},
): Promise<WebhookEvent> {
  if (request.bodyUsed) {
    throw new TypeError(
      'constructEventFromRequest: the request body was already read (request.json() or request.text() ran first); ' +
        'pass the request before anything reads it, or call constructEventAsync with the raw text you read',
    );
  }
  // Check the secret before reading the body, so a misconfiguration is reported as such.
  secretList(secret);
  const body = new Uint8Array(await request.arrayBuffer());
  return constructEventAsync(body, request.headers, secret, options);
}
