import { decodeBase64 } from './base64.js';
import {
  DEFAULT_TOLERANCE_SECONDS,
  HEADER_WEBHOOK_ID,
  HEADER_WEBHOOK_SIGNATURE,
  HEADER_WEBHOOK_TIMESTAMP,
} from './constants.js';
import { WebhookVerificationError } from './errors.js';
import { headerValues, type HeadersInput } from './headers.js';

// Everything a Standard Webhooks verifier checks before the HMAC, without any crypto: the
// node:crypto verifier here and the Web Crypto one in @inbox/sdk/web both start with it, so they
// refuse the same requests with the same codes and messages.

export interface ParseStandardWebhookHeadersOptions {
  /** How far `webhook-timestamp` may be from now, either way. Default 300 (5 minutes). */
  toleranceSeconds?: number;
  /** The current time in milliseconds. Default `Date.now()`. */
  nowMs?: number;
}

/** A Standard Webhooks request's headers, checked: the signatures still have to be verified. */
export interface StandardWebhookHeaders {
  /** `webhook-id`. */
  id: string;
  /** `webhook-timestamp`, unix seconds, within the tolerance. */
  timestamp: number;
  /** The `v1` entries of `webhook-signature`, base64-decoded; at least one. Other versions are left out. */
  signatures: Uint8Array[];
}

const UNIX_SECONDS = /^[0-9]{1,15}$/;
/** One `webhook-signature` entry: `<version>,<base64 signature>`. */
const SIGNATURE_ENTRY = /^([A-Za-z0-9]+),([A-Za-z0-9+/=]*)$/;

/** The tolerance to use (default 300), or a RangeError naming `caller` for a value that is not a number >= 0. */
export function resolveToleranceSeconds(toleranceSeconds: number | undefined, caller: string): number {
  const tolerance = toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance < 0) {
    throw new RangeError(`${caller}: toleranceSeconds must be a number >= 0, got ${String(tolerance)}`);
  }
  return tolerance;
}

function missingHeader(name: string): WebhookVerificationError {
  return new WebhookVerificationError(
    'missing_header',
    `missing ${name} header: the request was not sent as a Standard Webhook, or a proxy dropped the header`,
  );
}

/** A header that must appear once (repeats of one value are tolerated). */
function singleHeader(headers: HeadersInput, name: string): string {
  const values = [...new Set(headerValues(headers, name).map((v) => v.trim()))].filter((v) => v !== '');
  if (values.length === 0) throw missingHeader(name);
  if (values.length > 1) {
    throw new WebhookVerificationError(
      'invalid_header',
      `${name} header appears ${values.length} times with different values`,
    );
  }
  return values[0] as string;
}

/**
 * Reads and checks the Standard Webhooks headers (https://www.standardwebhooks.com): `webhook-id`,
 * `webhook-timestamp` within the tolerance of `nowMs`, and the `v1` entries of `webhook-signature`.
 * Throws a `WebhookVerificationError` (`missing_header`, `invalid_header`, `timestamp_too_old`,
 * `timestamp_too_new`, or `invalid_signature` when no entry is `v1`); a RangeError for a bad tolerance.
 * Checking the signatures is the caller's part: HMAC-SHA256 of `<id>.<timestamp>.<body>`, then
 * `standardSignatureMismatch()` when none matches.
 */
export function parseStandardWebhookHeaders(
  headers: HeadersInput,
  options: ParseStandardWebhookHeadersOptions = {},
): StandardWebhookHeaders {
  const tolerance = resolveToleranceSeconds(options.toleranceSeconds, 'parseStandardWebhookHeaders');
  if (headers == null || typeof headers !== 'object') {
    throw new WebhookVerificationError('missing_header', 'no headers given: pass the request headers');
  }

  const id = singleHeader(headers, HEADER_WEBHOOK_ID);
  const timestampText = singleHeader(headers, HEADER_WEBHOOK_TIMESTAMP);
  const signatureHeader = headerValues(headers, HEADER_WEBHOOK_SIGNATURE).join(' ');
  if (signatureHeader.trim() === '') throw missingHeader(HEADER_WEBHOOK_SIGNATURE);

  if (!UNIX_SECONDS.test(timestampText)) {
    throw new WebhookVerificationError(
      'invalid_header',
      `${HEADER_WEBHOOK_TIMESTAMP} must be unix time in whole seconds, got ${JSON.stringify(timestampText.slice(0, 40))}`,
    );
  }
  const timestamp = Number(timestampText);
  const nowSeconds = Math.floor((options.nowMs ?? Date.now()) / 1000);
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
  const signatures: Uint8Array[] = [];
  let wellFormed = 0;
  for (const entry of entries) {
    const match = SIGNATURE_ENTRY.exec(entry);
    if (!match) continue;
    wellFormed += 1;
    if (match[1] === 'v1') signatures.push(decodeBase64(match[2] ?? ''));
  }
  if (wellFormed === 0) {
    throw new WebhookVerificationError(
      'invalid_header',
      `${HEADER_WEBHOOK_SIGNATURE} must hold space-separated "v1,<base64 signature>" entries`,
    );
  }
  if (signatures.length === 0) {
    throw new WebhookVerificationError(
      'invalid_signature',
      `${HEADER_WEBHOOK_SIGNATURE} has no v1 signature, the only version this library checks`,
    );
  }
  return { id, timestamp, signatures };
}

/** The error for a request none of whose `v1` signatures matches under any of the secrets. */
export function standardSignatureMismatch(): WebhookVerificationError {
  return new WebhookVerificationError(
    'invalid_signature',
    `no ${HEADER_WEBHOOK_SIGNATURE} entry matches: verify the raw request body (not re-serialized JSON) ` +
      "with this webhook's current secret",
  );
}
