import {
  HEADER_INBOX_SIGNATURE,
  HEADER_WEBHOOK_ID,
  HEADER_WEBHOOK_SIGNATURE,
  HEADER_WEBHOOK_TIMESTAMP,
} from '../constants.js';
import { WebhookVerificationError } from '../errors.js';
import { inboxSignatureMismatch, missingSignatureHeaders } from '../failures.js';
import { hasHeader, headerValues, type HeadersLike } from '../headers.js';
import { inboxSignatureDigests } from '../inbox-signature-header.js';
import { base64Bytes, type WebSecretKeys } from './secret-keys.js';

// The Web Crypto twin of @inbox/signing's verifiers: the same checks, in the same order, with the
// same error codes (a shared test table runs against both). HMACs are checked with
// `crypto.subtle.verify`, which compares in constant time.

const UNIX_SECONDS = /^[0-9]{1,15}$/;
/** One `webhook-signature` entry: `<version>,<base64 signature>`. */
const SIGNATURE_ENTRY = /^([A-Za-z0-9]+),([A-Za-z0-9+/=]*)$/;

type Bytes = Uint8Array<ArrayBuffer>;

function concat(a: Uint8Array, b: Uint8Array): Bytes {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** A header that must appear once (repeats of one value are tolerated). */
function singleHeader(headers: HeadersLike, name: string): string {
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

export interface WebVerifyInput {
  body: Uint8Array;
  headers: HeadersLike;
  keys: readonly WebSecretKeys[];
  toleranceSeconds: number;
  requireTimestamp: boolean;
  nowMs: number;
}

/** Verifies the request's signature with Web Crypto; throws `WebhookVerificationError` when it does not hold. */
export async function verifyWithWebCrypto(input: WebVerifyInput): Promise<void> {
  if (hasHeader(input.headers, HEADER_WEBHOOK_SIGNATURE)) return verifyStandard(input);
  const values = headerValues(input.headers, HEADER_INBOX_SIGNATURE);
  if (input.requireTimestamp || values.every((v) => v.trim() === '')) {
    throw missingSignatureHeaders(input.requireTimestamp, values.length > 0);
  }
  return verifyInbox(input, values);
}

async function verifyStandard({ body, headers, keys, toleranceSeconds, nowMs }: WebVerifyInput): Promise<void> {
  const id = singleHeader(headers, HEADER_WEBHOOK_ID);
  const timestampText = singleHeader(headers, HEADER_WEBHOOK_TIMESTAMP);
  const signatureHeader = headerValues(headers, HEADER_WEBHOOK_SIGNATURE).join(' ');

  if (!UNIX_SECONDS.test(timestampText)) {
    throw new WebhookVerificationError(
      'invalid_header',
      `${HEADER_WEBHOOK_TIMESTAMP} must be unix time in whole seconds, got ${JSON.stringify(timestampText.slice(0, 40))}`,
    );
  }
  const timestamp = Number(timestampText);
  const nowSeconds = Math.floor(nowMs / 1000);
  if (nowSeconds - timestamp > toleranceSeconds) {
    throw new WebhookVerificationError(
      'timestamp_too_old',
      `${HEADER_WEBHOOK_TIMESTAMP} is ${nowSeconds - timestamp}s old, more than the ${toleranceSeconds}s tolerance: ` +
        'the request is stale (a replay?) or your clock is wrong',
    );
  }
  if (timestamp - nowSeconds > toleranceSeconds) {
    throw new WebhookVerificationError(
      'timestamp_too_new',
      `${HEADER_WEBHOOK_TIMESTAMP} is ${timestamp - nowSeconds}s in the future, more than the ${toleranceSeconds}s tolerance: ` +
        "your clock or the sender's is wrong",
    );
  }

  // Entries are space-separated; `Headers.get` joins repeated headers with ", ", so trailing commas go too.
  const entries = signatureHeader
    .split(/\s+/)
    .map((entry) => entry.replace(/,+$/, ''))
    .filter((entry) => entry !== '');
  const v1: Bytes[] = [];
  let wellFormed = 0;
  for (const entry of entries) {
    const match = SIGNATURE_ENTRY.exec(entry);
    if (!match) continue;
    wellFormed += 1;
    const signature = match[1] === 'v1' ? base64Bytes(match[2] ?? '') : undefined;
    if (signature) v1.push(signature as Bytes);
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

  const signed = concat(new TextEncoder().encode(`${id}.${timestamp}.`), body);
  if (
    !(await anyMatches(
      keys.map((k) => k.standard),
      v1,
      signed,
    ))
  ) {
    throw new WebhookVerificationError(
      'invalid_signature',
      `no ${HEADER_WEBHOOK_SIGNATURE} entry matches: verify the raw request body (not re-serialized JSON) ` +
        "with this webhook's current secret",
    );
  }
}

async function verifyInbox({ body, keys }: WebVerifyInput, values: string[]): Promise<void> {
  const digests = inboxSignatureDigests(values).map(hexBytes);
  if (digests.length === 0) {
    throw new WebhookVerificationError(
      'invalid_header',
      `${HEADER_INBOX_SIGNATURE} must be "sha256=" followed by 64 hex digits`,
    );
  }
  if (
    !(await anyMatches(
      keys.map((k) => k.inbox),
      digests,
      new Uint8Array(body),
    ))
  ) {
    throw inboxSignatureMismatch();
  }
}

function hexBytes(hex: string): Bytes {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Whether any signature verifies under any key. Every pair is checked, so timing does not say which. */
async function anyMatches(keys: CryptoKey[], signatures: Bytes[], data: Bytes): Promise<boolean> {
  const results = await Promise.all(
    keys.flatMap((key) => signatures.map((signature) => crypto.subtle.verify('HMAC', key, signature, data))),
  );
  return results.includes(true);
}
