import { HEADER_INBOX_SIGNATURE, HEADER_INBOX_SIGNATURE_PREVIOUS, INBOX_SIGNATURE_PREFIX } from './constants.js';
import { headerValues, type HeadersInput } from './headers.js';

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/**
 * The digests in `X-Inbox-Signature` values, decoded: each value and each comma-separated part,
 * `sha256=` optional, 64 hex digits in either case. Malformed parts are skipped; none left means
 * the header is malformed.
 */
export function inboxSignatureDigests(header: string | readonly string[]): Uint8Array[] {
  const values = typeof header === 'string' ? [header] : header;
  const out: Uint8Array[] = [];
  for (const value of values) {
    if (typeof value !== 'string') continue;
    for (const part of value.split(',')) {
      let hex = part.trim();
      if (hex.slice(0, INBOX_SIGNATURE_PREFIX.length).toLowerCase() === INBOX_SIGNATURE_PREFIX) {
        hex = hex.slice(INBOX_SIGNATURE_PREFIX.length);
      }
      if (SHA256_HEX.test(hex)) out.push(hexBytes(hex));
    }
  }
  return out;
}

/**
 * A request's values in the X-Inbox-Signature format: `X-Inbox-Signature` (the current secret's),
 * then `X-Inbox-Signature-Previous` (the secret a rotation replaced, while it still signs). A
 * receiver holding either secret finds its signature among them.
 */
export function inboxSignatureHeaderValues(headers: HeadersInput): string[] {
  return [...headerValues(headers, HEADER_INBOX_SIGNATURE), ...headerValues(headers, HEADER_INBOX_SIGNATURE_PREVIOUS)];
}
