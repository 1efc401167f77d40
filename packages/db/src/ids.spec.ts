import { ID_PREFIX, isId, newId } from './ids.js';
import { SecretBox } from './secret-box.js';
import { randomBytes } from 'node:crypto';

describe('newId', () => {
  it('carries the type prefix and sorts by creation time', () => {
    const a = newId('event', 1_700_000_000_000);
    const b = newId('event', 1_700_000_000_001);
    expect(a.startsWith(ID_PREFIX.event)).toBe(true);
    expect(a).toHaveLength(ID_PREFIX.event.length + 26);
    expect(a < b).toBe(true);
    expect(isId('event', a)).toBe(true);
    expect(isId('webhook', a)).toBe(false);
    expect(isId('event', "evt_1' OR 1=1")).toBe(false);
  });

  it('never repeats, across many refills of its random pool', () => {
    const ids = Array.from({ length: 5000 }, () => newId('delivery', 1_700_000_000_000));
    expect(new Set(ids).size).toBe(5000);
    expect(new Set(ids.map((id) => id.slice(-16))).size).toBe(5000);
  });
});

describe('SecretBox', () => {
  it('round-trips and never stores the plaintext', () => {
    const box = new SecretBox(randomBytes(32));
    const sealed = box.seal('whsec_abc');
    expect(sealed).not.toContain('whsec_abc');
    expect(box.open(sealed)).toBe('whsec_abc');
  });

  it('refuses a tampered ciphertext or the wrong key', () => {
    const box = new SecretBox(randomBytes(32));
    const sealed = box.seal('whsec_abc');
    const parts = sealed.split('.');
    const tampered = [...parts.slice(0, 3), Buffer.from('whsec_abd').toString('base64')].join('.');
    expect(() => box.open(tampered)).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed)).toThrow();
  });
});
