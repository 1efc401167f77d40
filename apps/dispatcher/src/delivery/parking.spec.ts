import { deferralDelayMs } from './parking.js';

describe('deferralDelayMs', () => {
  it('grows with each deferral, with jitter, up to 5 s', () => {
    expect(deferralDelayMs(0, () => 1)).toBe(100);
    expect(deferralDelayMs(0, () => 0)).toBe(50);
    expect(deferralDelayMs(3, () => 1)).toBe(800);
    expect(deferralDelayMs(20, () => 1)).toBe(5_000);
  });
});
