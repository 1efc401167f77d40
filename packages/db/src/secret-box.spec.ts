import { randomBytes } from 'node:crypto';
import { sealV1 } from '../test/support/seal-v1.js';
import { SecretBox, SecretUnreadableError, secretKeyId } from './secret-box.js';

describe('SecretBox', () => {
  const keyA = randomBytes(32);
  const keyB = randomBytes(32);

  it('round-trips and never stores the plaintext; the value names its key', () => {
    const box = new SecretBox(keyA);
    const sealed = box.seal('whsec_abc');
    expect(sealed).not.toContain('whsec_abc');
    expect(sealed.startsWith(`v2.${secretKeyId(keyA)}.`)).toBe(true);
    expect(box.isCurrent(sealed)).toBe(true);
    expect(box.open(sealed)).toBe('whsec_abc');
  });

  it('refuses a tampered ciphertext or the wrong key', () => {
    const box = new SecretBox(keyA);
    const sealed = box.seal('whsec_abc');
    const tampered = [...sealed.split('.').slice(0, -1), Buffer.from('whsec_abd').toString('base64')].join('.');
    expect(() => box.open(tampered)).toThrow(SecretUnreadableError);
    expect(() => new SecretBox(keyB).open(sealed)).toThrow(/neither INBOX_SECRET_KEY nor in INBOX_SECRET_KEYS_PREVIOUS/);
    expect(() => box.open('garbage')).toThrow(SecretUnreadableError);
  });

  it('opens what previous keys sealed, and re-seals it under the current key', () => {
    const sealedA = new SecretBox(keyA).seal('whsec_abc');
    const rotated = new SecretBox(keyB, [keyA]);
    expect(rotated.open(sealedA)).toBe('whsec_abc');
    expect(rotated.isCurrent(sealedA)).toBe(false);
    const resealed = rotated.reseal(sealedA);
    expect(rotated.isCurrent(resealed)).toBe(true);
    expect(new SecretBox(keyB).open(resealed)).toBe('whsec_abc');
  });

  it('still opens values sealed before keys had ids (v1), with the current or a previous key', () => {
    expect(new SecretBox(keyA).open(sealV1(keyA, 'whsec_old'))).toBe('whsec_old');
    expect(new SecretBox(keyB, [keyA]).open(sealV1(keyA, 'whsec_old'))).toBe('whsec_old');
    expect(new SecretBox(keyB).isCurrent(sealV1(keyB, 'whsec_old'))).toBe(false);
    expect(() => new SecretBox(keyB).open(sealV1(keyA, 'whsec_old'))).toThrow(SecretUnreadableError);
  });

  it('takes 32-byte keys only', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow(/32-byte/);
    expect(() => new SecretBox(keyA, [randomBytes(31)])).toThrow(/32-byte/);
  });
});
