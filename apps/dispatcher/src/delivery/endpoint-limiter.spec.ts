import { deferralDelayMs, EndpointLimiter, type Lease } from './endpoint-limiter.js';

const lease = (slot: Lease | null | Promise<Lease | null>): Lease => {
  if (!slot || slot instanceof Promise) throw new Error(`expected a slot at once, got ${String(slot)}`);
  return slot;
};

describe('EndpointLimiter', () => {
  it('caps in-flight requests per endpoint, independently of other endpoints', () => {
    const limiter = new EndpointLimiter(2);
    const a = lease(limiter.acquire('wh_slow'));
    lease(limiter.acquire('wh_slow'));
    expect(limiter.acquire('wh_slow')).toBeNull();
    lease(limiter.acquire('wh_fast'));
    limiter.release(a);
    expect(limiter.count('wh_slow')).toBe(1);
    lease(limiter.acquire('wh_slow'));
  });

  it('forgets an endpoint once idle, and ignores a second release of one lease', () => {
    const limiter = new EndpointLimiter(1);
    const a = lease(limiter.acquire('wh_a'));
    limiter.release(a);
    limiter.release(a);
    expect(limiter.count('wh_a')).toBe(0);
    expect(limiter.size).toBe(0);
    lease(limiter.acquire('wh_a'));
  });

  it('lets jobs of a full, healthy endpoint wait in line, first come first served, up to maxWaiters', async () => {
    const limiter = new EndpointLimiter(1, { maxWaiters: 2 });
    const first = lease(limiter.acquire('wh'));
    const second = limiter.acquire('wh');
    const third = limiter.acquire('wh');
    expect(second).toBeInstanceOf(Promise);
    expect(third).toBeInstanceOf(Promise);
    expect(limiter.mayAdmit('wh')).toBe(false);
    expect(limiter.acquire('wh')).toBeNull(); // the line is full: defer
    expect(limiter.waiters('wh')).toBe(2);

    limiter.release(first, { durationMs: 5, timedOut: false });
    const secondLease = await second;
    expect(secondLease).not.toBeNull();
    expect(limiter.count('wh')).toBe(1);
    expect(limiter.waiters('wh')).toBe(1);
    limiter.release(secondLease!, { durationMs: 5, timedOut: false });
    limiter.release((await third)!, { durationMs: 5, timedOut: false });
    expect(limiter.size).toBe(0);
  });

  it('lets nobody wait for a slow endpoint: its oldest request in flight is older than slowMs', () => {
    let now = 0;
    const limiter = new EndpointLimiter(1, { maxWaiters: 5, slowMs: 1_000, now: () => now });
    lease(limiter.acquire('wh'));
    now = 1_001;
    expect(limiter.acquire('wh')).toBeNull();
  });

  it('lets nobody wait when the line would take longer than maxWaitMs at the endpoint’s pace', () => {
    const limiter = new EndpointLimiter(2, { maxWaiters: 100, maxWaitMs: 1_000 });
    const a = lease(limiter.acquire('wh'));
    lease(limiter.acquire('wh'));
    limiter.release(a, { durationMs: 400, timedOut: false }); // ~5 requests per second per slot
    lease(limiter.acquire('wh'));
    for (let i = 0; i < 5; i++) expect(limiter.acquire('wh')).toBeInstanceOf(Promise);
    expect(limiter.acquire('wh')).toBeNull();
  });

  it('sends the waiters away when the endpoint times out, and lets nobody wait for it for a while', async () => {
    const limiter = new EndpointLimiter(1, { maxWaiters: 5 });
    const a = lease(limiter.acquire('wh'));
    const waiting = [limiter.acquire('wh'), limiter.acquire('wh')];
    limiter.release(a, { durationMs: 10_000, timedOut: true });
    expect(await Promise.all(waiting)).toEqual([null, null]);
    // The freed slot is there for a job that comes along; waiting in line is not.
    lease(limiter.acquire('wh'));
    expect(limiter.acquire('wh')).toBeNull();
  });

  it('gives up a wait after maxWaitMs, and the slot is never handed to the one who left', async () => {
    const limiter = new EndpointLimiter(1, { maxWaiters: 5, maxWaitMs: 20 });
    const a = lease(limiter.acquire('wh'));
    const waiting = limiter.acquire('wh');
    expect(await waiting).toBeNull();
    expect(limiter.waiters('wh')).toBe(0);
    limiter.release(a);
    expect(limiter.size).toBe(0);
  });
});

describe('EndpointLimiter.deferralMs', () => {
  it('defers a busy but healthy endpoint’s job briefly, growing with its deferrals', () => {
    const limiter = new EndpointLimiter(1);
    lease(limiter.acquire('wh'));
    expect(limiter.deferralMs('wh', 0, () => 1)).toBe(100);
    expect(limiter.deferralMs('wh', 3, () => 1)).toBe(800);
  });

  it('parks a hanging endpoint’s jobs one service interval apart (timeout ÷ limit), each after the last', () => {
    let now = 0;
    const limiter = new EndpointLimiter(20, { maxWaiters: 0, requestTimeoutMs: 10_000, now: () => now });
    const held = lease(limiter.acquire('wh_dead'));
    limiter.release(held, { durationMs: 10_000, timedOut: true });
    // 20 slots, 10 s per request: the endpoint starts a request every 500 ms.
    expect([0, 0, 0].map(() => limiter.deferralMs('wh_dead', 0))).toEqual([500, 1_000, 1_500]);
    now = 1_000;
    expect(limiter.deferralMs('wh_dead', 0)).toBe(1_000); // after the last one parked (due at 2 s)
    // Other endpoints are not affected.
    expect(limiter.deferralMs('wh_ok', 0, () => 1)).toBe(100);
  });

  it('treats an endpoint whose oldest request in flight is older than slowMs as slow, paced by that age', () => {
    let now = 0;
    const limiter = new EndpointLimiter(2, { maxWaiters: 0, slowMs: 1_000, now: () => now });
    lease(limiter.acquire('wh'));
    lease(limiter.acquire('wh'));
    now = 500;
    expect(limiter.deferralMs('wh', 0, () => 1)).toBe(100); // full, not slow yet
    now = 4_000;
    expect(limiter.deferralMs('wh', 0)).toBe(2_000); // 4 s in flight ÷ 2 slots
  });

  it('parks nothing beyond maxParkMs: past it, a job comes back around then for a new place', () => {
    const limiter = new EndpointLimiter(1, { maxWaiters: 0, requestTimeoutMs: 10_000, maxParkMs: 25_000, now: () => 0 });
    limiter.release(lease(limiter.acquire('wh')), { durationMs: 10_000, timedOut: true });
    expect(limiter.deferralMs('wh', 0)).toBe(10_000);
    expect(limiter.deferralMs('wh', 0)).toBe(20_000);
    expect(limiter.deferralMs('wh', 0, () => 1)).toBe(25_000);
    expect(limiter.deferralMs('wh', 0, () => 0)).toBe(12_500);
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
