import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { SECRET_BYTES, SECRET_PREFIX } from './constants.js';

/** Standard Webhooks secrets hold 24 to 64 bytes; `generateSecret` makes 32. */
const MIN_SECRET_BYTES = 24;
const MAX_SECRET_BYTES = 64;

/** Canonical padded base64 (standard alphabet). */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A new webhook secret: `whsec_` + base64 of 32 random bytes. */
export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(SECRET_BYTES).toString('base64');
}

/**
 * The key bytes of a `whsec_…` secret (the base64-decoded part after the prefix), or `undefined`
 * if it is not one: wrong prefix, non-canonical base64, or fewer than 24 / more than 64 bytes.
 */
export function decodeSecret(secret: unknown): Buffer | undefined {
  if (typeof secret !== 'string' || !secret.startsWith(SECRET_PREFIX)) return undefined;
  const encoded = secret.slice(SECRET_PREFIX.length);
  if (!BASE64.test(encoded)) return undefined;
  const key = Buffer.from(encoded, 'base64');
  if (key.length < MIN_SECRET_BYTES || key.length > MAX_SECRET_BYTES) return undefined;
  // Reject encodings with non-zero padding bits: only one spelling per key.
  if (key.toString('base64') !== encoded) return undefined;
  return key;
}

/** Whether `s` is a well-formed secret: `whsec_` + canonical base64 of 24 to 64 bytes. */
export function isValidSecret(s: unknown): s is string {
  return decodeSecret(s) !== undefined;
}

/** HMAC keys of a valid secret: the decoded bytes (Standard Webhooks) and the whole string (X-Inbox-Signature). */
export interface SecretKeys {
  standard: KeyObject;
  inbox: KeyObject;
}

/**
 * Keys of recently used secrets, so the dispatcher's hot path decodes and validates each secret once,
 * not on every delivery (about a fifth of `buildDeliveryHeaders`' time). Bounded; oldest entry evicted.
 * It holds nothing the caller did not already hold in memory.
 */
const KEY_CACHE_SIZE = 1024;
const keyCache = new Map<string, SecretKeys>();

/** The HMAC keys of a `whsec_…` secret, or `undefined` if it is malformed (see `decodeSecret`). */
export function secretKeys(secret: string): SecretKeys | undefined {
  const cached = keyCache.get(secret);
  if (cached) return cached;
  const decoded = decodeSecret(secret);
  if (!decoded) return undefined;
  const keys = { standard: createSecretKey(decoded), inbox: createSecretKey(Buffer.from(secret, 'utf8')) };
  if (keyCache.size >= KEY_CACHE_SIZE) {
    const oldest = keyCache.keys().next();
    if (!oldest.done) keyCache.delete(oldest.value);
  }
  keyCache.set(secret, keys);
  return keys;
}
