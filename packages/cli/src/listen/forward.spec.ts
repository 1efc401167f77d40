import { storable } from './forward.js';

describe('storable', () => {
  it('keeps at most max characters, without NUL', () => {
    expect(storable('ab\u0000cd', 3)).toBe('abc');
    expect(storable('short', 100)).toBe('short');
  });

  it('never cuts a surrogate pair in two (the API refuses an unpaired surrogate)', () => {
    const text = `${'a'.repeat(3)}😀b`;
    expect(storable(text, 4)).toBe('aaa');
    expect(storable(text, 5)).toBe('aaa😀');
  });
});
