import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { SECRET_BYTES, SECRET_PREFIX } from './constants.js';
import { decodeSecret } from './secret-format.js';

/** A new webhook secret: `whsec_` + base64 of 32 random bytes. */
export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(SECRET_BYTES).toString('base64');
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
