import { randomBytes } from 'node:crypto';
import { decodeBase64, encodeBase64 } from './base64.js';

// A fixed pseudo-random sequence, so a failure names the same input on every run.
function* strings(count: number, alphabet: string, maxLength: number): Generator<string> {
  let seed = 42;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
  for (let i = 0; i < count; i++) {
    let s = '';
    for (let n = next() % (maxLength + 1); n > 0; n--) s += alphabet.charAt(next() % alphabet.length);
    yield s;
  }
}

describe('decodeBase64', () => {
  it('decodes as Buffer.from(text, "base64") does, malformed text included', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/====';
    const mismatches = [...strings(50_000, alphabet, 48)].filter(
      (text) => !Buffer.from(text, 'base64').equals(decodeBase64(text)),
    );
    expect(mismatches).toEqual([]);
  });

  it.each([
    ['', []],
    ['QQ==', [65]],
    ['QUI=', [65, 66]],
    ['QUJD', [65, 66, 67]],
    ['QUJDQQ', [65, 66, 67, 65]],
    ['QUJD=QUJD', [65, 66, 67]],
    ['Q', []],
  ])('%p', (text, bytes) => {
    expect([...decodeBase64(text)]).toEqual(bytes);
  });
});

describe('encodeBase64', () => {
  it('encodes as Buffer#toString("base64") does', () => {
    for (let length = 0; length < 70; length++) {
      const bytes = randomBytes(length);
      expect(encodeBase64(bytes)).toBe(bytes.toString('base64'));
      expect(decodeBase64(encodeBase64(bytes))).toEqual(new Uint8Array(bytes));
    }
  });
});
