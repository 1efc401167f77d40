import { decodeSecret } from '@inbox/signing/web';
import { invalidSecretError } from '../options.js';

/** The two HMAC keys of a secret: Standard Webhooks (decoded bytes) and X-Inbox-Signature (the whole string). */
export interface WebSecretKeys {
  standard: CryptoKey;
  inbox: CryptoKey;
}

function hmacKey(bytes: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', bytes as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'verify',
  ]);
}

/** Keys imported before, by secret: a route verifies every request with the same secrets. Bounded, oldest out first. */
const KEY_CACHE_SIZE = 1024;
const keyCache = new Map<string, Promise<WebSecretKeys>>();

function importKeys(secret: string, decoded: Uint8Array): Promise<WebSecretKeys> {
  const keys = Promise.all([hmacKey(decoded), hmacKey(new TextEncoder().encode(secret))]).then(([standard, inbox]) => ({ standard, inbox }));
  if (keyCache.size >= KEY_CACHE_SIZE) {
    const oldest = keyCache.keys().next();
    if (!oldest.done) keyCache.delete(oldest.value);
  }
  keyCache.set(secret, keys);
  // A failed import is not kept: the next request tries again.
  keys.catch(() => keyCache.delete(secret));
  return keys;
}

/** Imports the keys of every secret (once per secret), or throws `invalid_secret` naming the bad one. */
export async function importSecretKeys(secrets: readonly string[]): Promise<WebSecretKeys[]> {
  return Promise.all(
    secrets.map((secret, index) => {
      const cached = keyCache.get(secret);
      if (cached) return cached;
      const decoded = decodeSecret(secret);
      if (!decoded) throw invalidSecretError(index, secrets.length);
      return importKeys(secret, decoded);
    }),
  );
}
