import { decodeBase64, encodeBase64 } from './base64.js';
import { SECRET_PREFIX } from './constants.js';

/** Standard Webhooks secrets hold 24 to 64 bytes; `generateSecret` makes 32. */
const MIN_SECRET_BYTES = 24;
const MAX_SECRET_BYTES = 64;

/** Canonical padded base64 (standard alphabet). */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The key bytes of a `whsec_…` secret (the base64-decoded part after the prefix), or `undefined`
 * if it is not one: wrong prefix, non-canonical base64, or fewer than 24 / more than 64 bytes.
 */
export function decodeSecret(secret: unknown): Uint8Array | undefined {
  if (typeof secret !== 'string' || !secret.startsWith(SECRET_PREFIX)) return undefined;
  const encoded = secret.slice(SECRET_PREFIX.length);
  if (!BASE64.test(encoded)) return undefined;
  const key = decodeBase64(encoded);
  if (key.length < MIN_SECRET_BYTES || key.length > MAX_SECRET_BYTES) return undefined;
  // Reject encodings with non-zero padding bits: only one spelling per key.
  if (encodeBase64(key) !== encoded) return undefined;
  return key;
}

/** Whether `s` is a well-formed secret: `whsec_` + canonical base64 of 24 to 64 bytes. */
export function isValidSecret(s: unknown): s is string {
  return decodeSecret(s) !== undefined;
}
