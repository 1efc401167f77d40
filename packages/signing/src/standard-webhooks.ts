import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';
import { SECRET_PREFIX } from './constants.js';
import { WebhookVerificationError } from './errors.js';
import type { HeadersInput } from './headers.js';
import { secretKeys, type SecretKeys } from './secret.js';
import {
  parseStandardWebhookHeaders,
  resolveToleranceSeconds,
  standardSignatureMismatch,
} from './standard-webhooks-headers.js';

export interface SignStandardWebhookInput {
  /** `webhook-id`: the event id (the same on every retry, so receivers can deduplicate). */
  id: string;
  /** `webhook-timestamp`: unix time in whole seconds. */
  timestamp: number;
  /** The exact body bytes sent (a string is taken as UTF-8). */
  body: string | Uint8Array;
  /** A `whsec_…` secret. */
  secret: string;
}

export interface VerifyStandardWebhookOptions {
  /** How far `webhook-timestamp` may be from now, either way. Default 300 (5 minutes). */
  toleranceSeconds?: number;
  /** The current time in milliseconds (tests, or a trusted clock). Default `Date.now`. */
  now?: () => number;
}

/** Throws unless `timestamp` is unix time in whole seconds (`caller` names the function in the message). */
export function checkTimestamp(timestamp: number, caller: string): void {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new TypeError(`${caller}: timestamp must be unix time in whole seconds, got ${String(timestamp)}`);
  }
}

/** HMAC-SHA256 of `<id>.<timestamp>.<body>` under the decoded key. */
export function standardWebhookDigest(
  key: KeyObject,
  id: string,
  timestamp: number,
  body: string | Uint8Array,
): Buffer {
  return createHmac('sha256', key).update(`${id}.${timestamp}.`, 'utf8').update(body).digest();
}

/** The keys of a secret for signing, or a TypeError that names the problem (never the secret). */
export function signingKeys(secret: string, caller: string): SecretKeys {
  const keys = typeof secret === 'string' ? secretKeys(secret) : undefined;
  if (!keys) {
    throw new TypeError(`${caller}: secret must be "${SECRET_PREFIX}" followed by base64 of 24 to 64 bytes`);
  }
  return keys;
}

/**
 * The `webhook-signature` value of a Standard Webhooks request:
 * `v1,<base64 HMAC-SHA256(key = base64-decoded part after whsec_, "<id>.<timestamp>.<body>")>`.
 */
export function signStandardWebhook({ id, timestamp, body, secret }: SignStandardWebhookInput): string {
  const key = signingKeys(secret, 'signStandardWebhook').standard;
  if (typeof id !== 'string' || id.length === 0) {
    throw new TypeError('signStandardWebhook: id must be a non-empty string');
  }
  checkTimestamp(timestamp, 'signStandardWebhook');
  return `v1,${standardWebhookDigest(key, id, timestamp, body).toString('base64')}`;
}

function verificationKeys(secrets: string | readonly string[]): KeyObject[] {
  const list = typeof secrets === 'string' ? [secrets] : Array.isArray(secrets) ? secrets : [];
  if (list.length === 0) {
    throw new WebhookVerificationError('invalid_secret', 'no secret given: pass the webhook secret ("whsec_…")');
  }
  return list.map((secret, index) => {
    const key = typeof secret === 'string' ? secretKeys(secret)?.standard : undefined;
    if (!key) {
      const which = list.length === 1 ? 'the secret' : `secret #${index + 1}`;
      throw new WebhookVerificationError(
        'invalid_secret',
        `${which} is not a webhook secret: expected "${SECRET_PREFIX}" followed by base64 of 24 to 64 bytes, as shown in the dashboard`,
      );
    }
    return key;
  });
}

/**
 * Verifies a Standard Webhooks request (https://www.standardwebhooks.com): the `webhook-id`,
 * `webhook-timestamp` and `webhook-signature` headers against the raw `body` and one of `secrets`
 * (several during a rotation). Accepts if any `v1` signature matches any secret; other versions are
 * ignored. Throws a `WebhookVerificationError` saying what was wrong; returns nothing when valid.
 *
 * Checks, in order: the secrets, the headers' presence and form, the timestamp against the
 * tolerance, then the signatures (constant-time compare).
 */
export function verifyStandardWebhook(
  body: string | Uint8Array,
  headers: HeadersInput,
  secrets: string | readonly string[],
  options: VerifyStandardWebhookOptions = {},
): void {
  const toleranceSeconds = resolveToleranceSeconds(options.toleranceSeconds, 'verifyStandardWebhook');
  const keys = verificationKeys(secrets);
  const nowMs = (options.now ?? Date.now)();
  const { id, timestamp, signatures } = parseStandardWebhookHeaders(headers, { toleranceSeconds, nowMs });

  let matched = false;
  for (const key of keys) {
    const expected = standardWebhookDigest(key, id, timestamp, body);
    for (const candidate of signatures) {
      if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) matched = true;
    }
  }
  if (!matched) throw standardSignatureMismatch();
}
