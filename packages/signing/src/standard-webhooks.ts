import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';
import {
  DEFAULT_TOLERANCE_SECONDS,
  HEADER_WEBHOOK_ID,
  HEADER_WEBHOOK_SIGNATURE,
  HEADER_WEBHOOK_TIMESTAMP,
  SECRET_PREFIX,
} from './constants.js';
import { WebhookVerificationError } from './errors.js';
import { secretKeys, type SecretKeys } from './secret.js';

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

/** A header bag: a plain record (names in any case; Node's `IncomingHttpHeaders` fits) or a fetch `Headers`. */
export type HeadersInput =
  { get(name: string): string | null } | Readonly<Record<string, string | readonly string[] | undefined>>;

export interface VerifyStandardWebhookOptions {
  /** How far `webhook-timestamp` may be from now, either way. Default 300 (5 minutes). */
  toleranceSeconds?: number;
  /** The current time in milliseconds (tests, or a trusted clock). Default `Date.now`. */
  now?: () => number;
}

const UNIX_SECONDS = /^[0-9]{1,15}$/;
/** One `webhook-signature` entry: `<version>,<base64 signature>`. */
const SIGNATURE_ENTRY = /^([A-Za-z0-9]+),([A-Za-z0-9+/=]*)$/;

function checkTimestamp(timestamp: number, caller: string): void {
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

/** All values of a header (case-insensitive), `[]` when absent. */
function headerValues(headers: HeadersInput, name: string): string[] {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    const value = (headers as { get(name: string): string | null }).get(name);
    return value == null ? [] : [value];
  }
  const out: string[] = [];
  for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
    if (key.toLowerCase() !== name) continue;
    if (typeof value === 'string') out.push(value);
    else if (Array.isArray(value)) out.push(...value.filter((v): v is string => typeof v === 'string'));
  }
  return out;
}

/** A header that must appear once (repeats of one value are tolerated). */
function singleHeader(headers: HeadersInput, name: string): string {
  const values = [...new Set(headerValues(headers, name).map((v) => v.trim()))].filter((v) => v !== '');
  if (values.length === 0) {
    throw new WebhookVerificationError(
      'missing_header',
      `missing ${name} header: the request was not sent as a Standard Webhook, or a proxy dropped the header`,
    );
  }
  if (values.length > 1) {
    throw new WebhookVerificationError(
      'invalid_header',
      `${name} header appears ${values.length} times with different values`,
    );
  }
  return values[0] as string;
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
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (!Number.isFinite(tolerance) || tolerance < 0) {
    throw new RangeError(`verifyStandardWebhook: toleranceSeconds must be a number >= 0, got ${String(tolerance)}`);
  }
  const keys = verificationKeys(secrets);
  if (headers == null || typeof headers !== 'object') {
    throw new WebhookVerificationError('missing_header', 'no headers given: pass the request headers');
  }

  const id = singleHeader(headers, HEADER_WEBHOOK_ID);
  const timestampText = singleHeader(headers, HEADER_WEBHOOK_TIMESTAMP);
  const signatureHeader = headerValues(headers, HEADER_WEBHOOK_SIGNATURE).join(' ');
  if (signatureHeader.trim() === '') {
    throw new WebhookVerificationError(
      'missing_header',
      `missing ${HEADER_WEBHOOK_SIGNATURE} header: the request was not sent as a Standard Webhook, or a proxy dropped the header`,
    );
  }

  if (!UNIX_SECONDS.test(timestampText)) {
    throw new WebhookVerificationError(
      'invalid_header',
      `${HEADER_WEBHOOK_TIMESTAMP} must be unix time in whole seconds, got ${JSON.stringify(timestampText.slice(0, 40))}`,
    );
  }
  const timestamp = Number(timestampText);
  const nowSeconds = Math.floor((options.now ?? Date.now)() / 1000);
  if (nowSeconds - timestamp > tolerance) {
    throw new WebhookVerificationError(
      'timestamp_too_old',
      `${HEADER_WEBHOOK_TIMESTAMP} is ${nowSeconds - timestamp}s old, more than the ${tolerance}s tolerance: ` +
        'the request is stale (a replay?) or your clock is wrong',
    );
  }
  if (timestamp - nowSeconds > tolerance) {
    throw new WebhookVerificationError(
      'timestamp_too_new',
      `${HEADER_WEBHOOK_TIMESTAMP} is ${timestamp - nowSeconds}s in the future, more than the ${tolerance}s tolerance: ` +
        "your clock or the sender's is wrong",
    );
  }

  // Entries are space-separated; `Headers.get` joins repeated headers with ", ", so trailing commas go too.
  const entries = signatureHeader
    .split(/\s+/)
    .map((entry) => entry.replace(/,+$/, ''))
    .filter((entry) => entry !== '');
  const v1: Buffer[] = [];
  let wellFormed = 0;
  for (const entry of entries) {
    const match = SIGNATURE_ENTRY.exec(entry);
    if (!match) continue;
    wellFormed += 1;
    if (match[1] === 'v1') v1.push(Buffer.from(match[2] ?? '', 'base64'));
  }
  if (wellFormed === 0) {
    throw new WebhookVerificationError(
      'invalid_header',
      `${HEADER_WEBHOOK_SIGNATURE} must hold space-separated "v1,<base64 signature>" entries`,
    );
  }
  if (v1.length === 0) {
    throw new WebhookVerificationError(
      'invalid_signature',
      `${HEADER_WEBHOOK_SIGNATURE} has no v1 signature, the only version this library checks`,
    );
  }

  let matched = false;
  for (const key of keys) {
    const expected = standardWebhookDigest(key, id, timestamp, body);
    for (const candidate of v1) {
      if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) matched = true;
    }
  }
  if (!matched) {
    throw new WebhookVerificationError(
      'invalid_signature',
      `no ${HEADER_WEBHOOK_SIGNATURE} entry matches: verify the raw request body (not re-serialized JSON) ` +
        "with this webhook's current secret",
    );
  }
}
