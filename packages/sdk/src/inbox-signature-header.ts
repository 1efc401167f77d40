import { INBOX_SIGNATURE_PREFIX } from './constants.js';

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

/**
 * The hex digests in `X-Inbox-Signature` values (each value and each comma-separated part;
 * `sha256=` optional). Malformed parts are skipped; none left means the header is malformed.
 */
export function inboxSignatureDigests(values: readonly string[]): string[] {
  const out: string[] = [];
  for (const value of values) {
    for (const part of value.split(',')) {
      let hex = part.trim();
      if (hex.slice(0, INBOX_SIGNATURE_PREFIX.length).toLowerCase() === INBOX_SIGNATURE_PREFIX) {
        hex = hex.slice(INBOX_SIGNATURE_PREFIX.length);
      }
      if (SHA256_HEX.test(hex)) out.push(hex.toLowerCase());
    }
  }
  return out;
}
