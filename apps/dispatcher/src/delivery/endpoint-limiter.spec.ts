import { deferralDelayMs, EndpointLimiter } from './endpoint-limiter.js';

describe('EndpointLimiter', () => {
  it('caps in-flight requests per endpoint, independently of other endpoints', () => {
    const limiter = new EndpointLimiter(2);
    expect(limiter.tryAcquire('wh_slow')).toBe(true);
    expect(limiter.tryAcquire('wh_slow')).toBe(true);
    expect(limiter.tryAcquire('wh_slow')).toBe(false);
    expect(limiter.tryAcquire('wh_fast')).toBe(true);
    limiter.release('wh_slow');
    expect(limiter.count('wh_slow')).toBe(1);
    expect(limiter.tryAcquire('wh_slow')).toBe(true);
  });

  it('forgets an endpoint once idle', () => {
    const limiter = new EndpointLimiter(1);
    limiter.tryAcquire('wh_a');
    limiter.release('wh_a');
    limiter.release('wh_a');
    expect(limiter.count('wh_a')).toBe(0);
    expect(limiter.tryAcquire('wh_a')).toBe(true);
  });
});

describe('deferralDelayMs', () => {
  it('grows with each deferral, with jitter, up to 5 s', () => {
    expect(deferralDelayMs(0, () => 1)).toBe(100);
    expect(deferralDelayMs(0, () => 0)).toBe(50);
    expect(deferralDelayMs(3, () => 1)).toBe(800);
    expect(deferralDelayMs(20, () => 1)).toBe(5_000);
  });
});
