import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/** `v2.<key id>.<iv>.<tag>.<ciphertext>`: what `seal` writes. */
const VERSION = 'v2';
/** `v1.<iv>.<tag>.<ciphertext>`: written before keys rotated; no key id, so every key is tried. */
const LEGACY_VERSION = 'v1';

/** Thrown when no configured key opens a sealed value (the key is missing, or the value is damaged). */
export class SecretUnreadableError extends Error {
  override readonly name = 'SecretUnreadableError';
}

/**
 * A key's public name in sealed values: 12 hex characters of an HMAC keyed by the key itself, so it
 * names the key without revealing anything about it, and is stable across processes.
 */
export function secretKeyId(key: Buffer): string {
  return createHmac('sha256', key).update('inbox secret-box key id').digest('hex').slice(0, 12);
}

/**
 * AES-256-GCM for secrets at rest (webhook secrets, stored idempotent answers). Sealed form:
 * `v2.<key id>.<iv b64>.<tag b64>.<ciphertext b64>`. Seals with the current key (INBOX_SECRET_KEY);
 * opens with it or any previous key (INBOX_SECRET_KEYS_PREVIOUS), so the key can rotate: deploy the
 * new key with the old one as previous, re-seal (`pnpm db:reseal`), then drop the old key.
 */
export class SecretBox {
  private readonly currentId: string;
  private readonly keys = new Map<string, Buffer>();

  constructor(currentKey: Buffer, previousKeys: readonly Buffer[] = []) {
    for (const key of [currentKey, ...previousKeys]) {
      if (key.length !== 32) throw new Error('SecretBox needs 32-byte keys');
      if (!this.keys.has(secretKeyId(key))) this.keys.set(secretKeyId(key), key);
    }
    this.currentId = secretKeyId(currentKey);
  }

  /** What every value sealed under the current key starts with (for scans in SQL). */
  get currentPrefix(): string {
    return `${VERSION}.${this.currentId}.`;
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentId)!, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, this.currentId, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ciphertext.toString('base64')].join('.');
  }

  /** The plaintext; a `SecretUnreadableError` when no configured key opens it. */
  open(sealed: string): string {
    const parts = sealed.split('.');
    if (parts[0] === VERSION && parts.length === 5) {
      const [, keyId, iv, tag, ciphertext] = parts as [string, string, string, string, string];
      const key = this.keys.get(keyId);
      if (!key) throw new SecretUnreadableError(`sealed under key ${keyId}, which is neither INBOX_SECRET_KEY nor in INBOX_SECRET_KEYS_PREVIOUS`);
      return decrypt(key, iv, tag, ciphertext) ?? fail(`sealed value under key ${keyId} does not authenticate`);
    }
    if (parts[0] === LEGACY_VERSION && parts.length === 4) {
      const [, iv, tag, ciphertext] = parts as [string, string, string, string];
      for (const key of this.keys.values()) {
        const plaintext = decrypt(key, iv, tag, ciphertext);
        if (plaintext !== undefined) return plaintext;
      }
      return fail('no configured key opens this sealed value (v1, without a key id)');
    }
    return fail('unrecognised sealed value format');
  }

  /** Whether `sealed` is under the current key already (nothing to re-seal). */
  isCurrent(sealed: string): boolean {
    return sealed.startsWith(this.currentPrefix);
  }

  /** The same plaintext sealed under the current key. */
  reseal(sealed: string): string {
    return this.seal(this.open(sealed));
  }
}

/** The plaintext, or undefined when the key does not authenticate the value. */
function decrypt(key: Buffer, iv: string, tag: string, ciphertext: string): string | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

function fail(message: string): never {
  throw new SecretUnreadableError(message);
}
