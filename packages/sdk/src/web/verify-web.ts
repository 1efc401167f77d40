import {
  hasHeader,
  HEADER_WEBHOOK_SIGNATURE,
  inboxSignatureDigests,
  inboxSignatureHeaderValues,
  parseStandardWebhookHeaders,
  standardSignatureMismatch,
} from '@inbox/signing/web';
import { inboxSignatureMismatch, malformedInboxSignature, missingSignatureHeaders } from '../failures.js';
import type { HeadersLike } from '../headers.js';
import type { WebSecretKeys } from './secret-keys.js';

// The Web Crypto twin of the node:crypto verifier: the same header checks (@inbox/signing/web's,
// shared with @inbox/signing's verifier), in the same order, with the same error codes (a shared
// test table runs against both). HMACs are checked with `crypto.subtle.verify`, which compares in
// constant time.

type Bytes = Uint8Array<ArrayBuffer>;

export function concat(a: Uint8Array, b: Uint8Array): Bytes {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
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
  const values = inboxSignatureHeaderValues(input.headers);
  if (input.requireTimestamp || values.every((v) => v.trim() === '')) {
    throw missingSignatureHeaders(input.requireTimestamp, values.length > 0);
  }
  return verifyInbox(input, values);
}

async function verifyStandard({ body, headers, keys, toleranceSeconds, nowMs }: WebVerifyInput): Promise<void> {
  const { id, timestamp, signatures } = parseStandardWebhookHeaders(headers, { toleranceSeconds, nowMs });
  const signed = concat(new TextEncoder().encode(`${id}.${timestamp}.`), body);
  if (
    !(await anyMatches(
      keys.map((k) => k.standard),
      signatures,
      signed,
    ))
  ) {
    throw standardSignatureMismatch();
  }
}

async function verifyInbox({ body, keys }: WebVerifyInput, values: string[]): Promise<void> {
  const digests = inboxSignatureDigests(values);
  if (digests.length === 0) throw malformedInboxSignature();
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

/** Whether any signature verifies under any key. Every pair is checked, so timing does not say which. */
async function anyMatches(keys: CryptoKey[], signatures: Uint8Array[], data: Bytes): Promise<boolean> {
  const results = await Promise.all(
    keys.flatMap((key) => signatures.map((signature) => crypto.subtle.verify('HMAC', key, signature as Bytes, data))),
  );
  return results.includes(true);
}
