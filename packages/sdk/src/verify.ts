import { verifyInboxSignature, verifyStandardWebhook } from '@inbox/signing';
import {
  hasHeader,
  HEADER_WEBHOOK_SIGNATURE,
  inboxSignatureDigests,
  inboxSignatureHeaderValues,
  isValidSecret,
} from '@inbox/signing/web';
import type { WebhookEvent } from '@inbox/events';
import { assertRawBody, bodyBytes, parseVerifiedEvent, type RawBody } from './event.js';
import { inboxSignatureMismatch, malformedInboxSignature, missingSignatureHeaders } from './failures.js';
import type { HeadersLike } from './headers.js';
import {
  invalidSecretError,
  secretList,
  toleranceOf,
  type ConstructEventOptions,
  type WebhookSecrets,
} from './options.js';

/**
 * The docs' `verifySignature`, hardened: whether `signatureHeader` (the `X-Inbox-Signature` value,
 * `sha256=<hex>`) is the HMAC-SHA256 of `rawBody` under `secret` (or one of several secrets).
 * Compares in constant time. Never throws on a missing or malformed header: that is `false`.
 * Throws a TypeError only for a programming error: a parsed (non-raw) body or no secret.
 *
 * Prefer `constructEvent`: it also checks the timestamped signature (replay protection) and
 * returns the typed event.
 */
export function verifySignature(
  rawBody: string | Uint8Array,
  signatureHeader: string | readonly string[] | undefined | null,
  secret: WebhookSecrets,
): boolean {
  assertRawBody(rawBody, 'verifySignature');
  const secrets = typeof secret === 'string' ? [secret] : Array.isArray(secret) ? secret : [];
  if (secrets.length === 0 || secrets.some((s) => typeof s !== 'string' || s === '')) {
    throw new TypeError(
      'verifySignature: secret must be the webhook secret ("whsec_…"); is its environment variable set?',
    );
  }
  return verifyInboxSignature(bodyBytes(rawBody), signatureHeader, secrets);
}

/**
 * Verifies a webhook request and returns its event, typed by `type`:
 *
 * - With the Standard Webhooks headers (`webhook-id`, `webhook-timestamp`, `webhook-signature`,
 *   which Inbox always sends) it checks that signature and the timestamp (replay protection).
 * - Without them it falls back to `X-Inbox-Signature` or, while a rotated secret still signs,
 *   `X-Inbox-Signature-Previous` (unless `requireTimestamp`).
 *
 * Throws `WebhookVerificationError` whose `code` says why (see `WEBHOOK_VERIFICATION_ERROR_CODES`).
 * `rawBody` must be the exact bytes received, not re-serialized JSON. Synchronous (node:crypto);
 * for Web Crypto runtimes use `@inbox/sdk/web`.
 */
export function constructEvent(
  rawBody: RawBody,
  headers: HeadersLike,
  secret: WebhookSecrets,
  options: ConstructEventOptions = {},
): WebhookEvent {
  assertRawBody(rawBody, 'constructEvent');
  const tolerance = toleranceOf(options, 'constructEvent');
  const secrets = secretList(secret);
  secrets.forEach((s, i) => {
    if (!isValidSecret(s)) throw invalidSecretError(i, secrets.length);
  });
  const body = bodyBytes(rawBody);

  if (hasHeader(headers, HEADER_WEBHOOK_SIGNATURE)) {
    verifyStandardWebhook(body, headers, secrets, { toleranceSeconds: tolerance, now: options.now });
  } else {
    verifyInboxFallback(body, headers, secrets, options);
  }
  return parseVerifiedEvent(body);
}

function verifyInboxFallback(
  body: Uint8Array,
  headers: HeadersLike,
  secrets: string[],
  options: ConstructEventOptions,
): void {
  const values = inboxSignatureHeaderValues(headers);
  if (options.requireTimestamp || values.every((v) => v.trim() === '')) {
    throw missingSignatureHeaders(options.requireTimestamp === true, values.length > 0);
  }
  if (inboxSignatureDigests(values).length === 0) throw malformedInboxSignature();
  if (!verifyInboxSignature(body, values, secrets)) throw inboxSignatureMismatch();
}
