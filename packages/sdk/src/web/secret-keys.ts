import { SECRET_PREFIX } from '../constants.js';
import { invalidSecretError } from '../options.js';

/** Standard Webhooks secrets hold 24 to 64 bytes. */
const MIN_SECRET_BYTES = 24;
const MAX_SECRET_BYTES = 64;
/** Canonical padded base64 (standard alphabet). */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes base64 with `atob` (every Web runtime has it); `undefined` when it is not base64. */
export function base64Bytes(text: string): Uint8Array | undefined {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/** The key bytes of a `whsec_…` secret, under the same rules as @inbox/signing's `isValidSecret`. */
function decodeSecret(secret: string): Uint8Array | undefined {
  if (!secret.startsWith(SECRET_PREFIX)) return undefined;
  const encoded = secret.slice(SECRET_PREFIX.length);
  if (!BASE64.test(encoded)) return undefined;
  const bytes = base64Bytes(encoded);
  if (!bytes || bytes.length < MIN_SECRET_BYTES || bytes.length > MAX_SECRET_BYTES) return undefined;
  // Non-zero padding bits would give a second spelling of the same key: refuse it, as @inbox/signing does.
  if (btoa(String.fromCharCode(...bytes)) !== encoded) return undefined;
  return bytes;
}

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
