// Base64 without Buffer or atob, so the crypto-free modules run anywhere (Node, browsers, workers).

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Decodes standard-alphabet base64 the way Node's `Buffer.from(text, 'base64')` does: stops at the
 * first `=`, skips characters outside the alphabet, and drops trailing bits that make no whole byte.
 * Lenient on purpose: a signature is compared as bytes, so only the bytes it names matter.
 */
export function decodeBase64(text: string): Uint8Array {
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let length = 0;
  let bits = 0;
  let bitCount = 0;
  for (const char of text) {
    if (char === '=') break;
    const value = ALPHABET.indexOf(char);
    if (value < 0) continue;
    bits = ((bits << 6) | value) & 0xffff;
    bitCount += 6;
    if (bitCount >= 8) {
      bitCount -= 8;
      out[length++] = (bits >> bitCount) & 0xff;
    }
  }
  return out.slice(0, length);
}

/** Standard padded base64 of `bytes`. */
export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const rest = bytes.length - i;
    const group = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += ALPHABET.charAt(group >> 18) + ALPHABET.charAt((group >> 12) & 63);
    out += rest > 1 ? ALPHABET.charAt((group >> 6) & 63) : '=';
    out += rest > 2 ? ALPHABET.charAt(group & 63) : '=';
  }
  return out;
}
