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

/** Imports the keys of every secret, or throws `invalid_secret` naming the bad one. */
export async function importSecretKeys(secrets: readonly string[]): Promise<WebSecretKeys[]> {
  return Promise.all(
    secrets.map(async (secret, index) => {
      const decoded = decodeSecret(secret);
      if (!decoded) throw invalidSecretError(index, secrets.length);
      const [standard, inbox] = await Promise.all([hmacKey(decoded), hmacKey(new TextEncoder().encode(secret))]);
      return { standard, inbox };
    }),
  );
}
