import { createHash, randomBytes } from 'node:crypto';

export const API_KEY_PREFIX = 'inbox_sk_';
/** `inbox_sk_` + base64url of 32 random bytes (43 characters). */
const API_KEY_PATTERN = /^inbox_sk_[A-Za-z0-9_-]{43}$/;
/** How much of a key is kept in clear so a customer can tell keys apart. */
const DISPLAY_PREFIX_LENGTH = API_KEY_PREFIX.length + 6;

export interface GeneratedApiKey {
  /** Shown to the customer once, never stored. */
  key: string;
  /** SHA-256 (hex): what is stored and looked up. */
  hash: string;
  /** `inbox_sk_` and the first few characters, stored in clear for display. */
  prefix: string;
}

export function generateApiKey(): GeneratedApiKey {
  const key = API_KEY_PREFIX + randomBytes(32).toString('base64url');
  return { key, hash: hashApiKey(key), prefix: key.slice(0, DISPLAY_PREFIX_LENGTH) };
}

/** Keys are 256-bit random, so a plain SHA-256 is enough (no slow hash needed: nothing to brute-force). */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function isWellFormedApiKey(key: string): boolean {
  return API_KEY_PATTERN.test(key);
}
