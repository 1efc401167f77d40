import { generateSecret, isValidSecret, SECRET_BYTES, SECRET_PREFIX } from './index.js';

describe('generateSecret', () => {
  it('is whsec_ + base64 of 32 random bytes', () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(secret.startsWith(SECRET_PREFIX)).toBe(true);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(SECRET_BYTES);
    expect(SECRET_BYTES).toBe(32);
    expect(isValidSecret(secret)).toBe(true);
  });

  it('never repeats', () => {
    const secrets = new Set(Array.from({ length: 200 }, () => generateSecret()));
    expect(secrets.size).toBe(200);
  });
});

describe('isValidSecret', () => {
  const bytes = (n: number) => Buffer.alloc(n, 7).toString('base64');

  it.each([
    ['32 bytes', `whsec_${bytes(32)}`, true],
    ['24 bytes (the published Standard Webhooks example)', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', true],
    ['64 bytes', `whsec_${bytes(64)}`, true],
    ['23 bytes', `whsec_${bytes(23)}`, false],
    ['65 bytes', `whsec_${bytes(65)}`, false],
    ['no prefix', bytes(32), false],
    ['another prefix', `whsk_${bytes(32)}`, false],
    ['upper-case prefix', `WHSEC_${bytes(32)}`, false],
    ['base64url alphabet', `whsec_${Buffer.alloc(32, 0xfb).toString('base64url')}=`, false],
    ['missing padding', `whsec_${bytes(32).replace(/=+$/, '')}`, false],
    ['non-zero padding bits', `whsec_${bytes(32).slice(0, -2)}B=`, false],
    ['whitespace', `whsec_ ${bytes(32)}`, false],
    ['empty', '', false],
    ['prefix only', 'whsec_', false],
  ])('%s → %s', (_label, value, ok) => {
    expect(isValidSecret(value)).toBe(ok);
  });

  it.each([[undefined], [null], [42], [{}], [Buffer.from('whsec_')]])('refuses non-string %p', (value) => {
    expect(isValidSecret(value)).toBe(false);
  });
});
