import { createHmac, timingSafeEqual } from 'node:crypto';
import { INBOX_SIGNATURE_PREFIX } from './constants.js';
import { inboxSignatureDigests } from './inbox-signature-header.js';

function inboxDigest(body: string | Uint8Array, secret: string): Buffer {
  // Key: the whole secret string, `whsec_` included, as UTF-8 (what the docs' example does).
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(body).digest();
}

/**
 * The `X-Inbox-Signature` value of a body: `sha256=<hex HMAC-SHA256>`, keyed with the whole secret
 * string as UTF-8 bytes. Sign the exact bytes that go on the wire (a string is taken as UTF-8).
 */
export function signInboxSignature(body: string | Uint8Array, secret: string): string {
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new TypeError('signInboxSignature: secret must be a non-empty string');
  }
  return INBOX_SIGNATURE_PREFIX + inboxDigest(body, secret).toString('hex');
}

/**
 * Whether `header` (the `X-Inbox-Signature` value) signs `body` with one of `secrets` (several during
 * a rotation). Never throws: a missing or malformed header, or a bad argument, is simply `false`.
 * Digests are compared in constant time.
 */
export function verifyInboxSignature(
  body: string | Uint8Array,
  header: string | readonly string[] | undefined | null,
  secrets: string | readonly string[],
): boolean {
  try {
    if (header == null) return false;
    const candidates = inboxSignatureDigests(header);
    if (candidates.length === 0) return false;
    const keys = typeof secrets === 'string' ? [secrets] : secrets;
    let matched = false;
    for (const secret of keys) {
      if (typeof secret !== 'string' || secret.length === 0) continue;
      const expected = inboxDigest(body, secret);
      for (const candidate of candidates) {
        // Both are 32 bytes here (checked by the hex pattern); the length test keeps timingSafeEqual safe.
        if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) matched = true;
      }
    }
    return matched;
  } catch {
    return false;
  }
}
