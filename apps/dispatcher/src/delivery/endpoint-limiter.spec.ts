import { EndpointLimiter } from './endpoint-limiter.js';
import type { Lease } from './endpoint-slots.js';

const PENDING = Symbol('pending');

/** What `acquire` answered at once: a slot, null (defer), or PENDING (a place in line). */
const atOnce = (slot: Promise<Lease | null>): Promise<Lease | null | typeof PENDING> =>
  Promise.race([slot, Promise.resolve(PENDING)]);

const lease = async (slot: Promise<Lease | null>): Promise<Lease> => {
  const got = await atOnce(slot);
  if (!got || got === PENDING) throw new Error(`expected a slot at once, got ${String(got)}`);
  return got;
};

describe('EndpointLimiter', () => {
  it('lets jobs of a full, healthy endpoint wait in line, first come first served, up to maxWaiters', async () => {
    const limiter = new EndpointLimiter(1, { maxWaiters: 2 });
    const first = await lease(limiter.acquire('wh'));
    const second = limiter.acquire('wh');
    const third = limiter.acquire('wh');
    expect(await atOnce(second)).toBe(PENDING);
    expect(await atOnce(third)).toBe(PENDING);
    expect(limiter.mayAdmit('wh')).toBe(false);
    expect(await atOnce(limiter.acquire('wh'))).toBeNull(); // the line is full: defer
    expect(limiter.slots.waiters('wh')).toBe(2);

    limiter.release(first, { durationMs: 5, timedOut: false });
    const secondLease = await second;
    expect(secondLease).not.toBeNull();
    expect(limiter.slots.count('wh')).toBe(1);
    expect(limiter.slots.waiters('wh')).toBe(1);
    limiter.release(secondLease!, { durationMs: 5, timedOut: false });
    limiter.release((await third)!, { durationMs: 5, timedOut: false });
    expect(limiter.slots.size).toBe(0);
  });

  it('lets nobody wait for a slow endpoint: its oldest request in flight is older than slowMs', async () => {
    let now = 0;
    const limiter = new EndpointLimiter(1, { maxWaiters: 5, slowMs: 1_000, now: () => now });
    await lease(limiter.acquire('wh'));
    now = 1_001;
    expect(await atOnce(limiter.acquire('wh'))).toBeNull();
  });

  it('lets nobody wait when the line would take longer than maxWaitMs at the endpoint’s pace', async () => {
    const limiter = new EndpointLimiter(2, { maxWaiters: 100, maxWaitMs: 1_000 });
    const a = await lease(limiter.acquire('wh'));
    await lease(limiter.acquire('wh'));
    limiter.release(a, { durationMs: 400, timedOut: false }); // ~5 requests per second per slot
    await lease(limiter.acquire('wh'));
    for (let i = 0; i < 5; i++) expect(await atOnce(limiter.acquire('wh'))).toBe(PENDING);
    expect(await atOnce(limiter.acquire('wh'))).toBeNull();
  });

  it('forgets an idle endpoint’s average duration with it', async () => {
    const limiter = new EndpointLimiter(1, { maxWaiters: 5, maxWaitMs: 1_000 });
    limiter.release(await lease(limiter.acquire('wh')), { durationMs: 5_000, timedOut: false });
    await lease(limiter.acquire('wh'));
    expect(await atOnce(limiter.acquire('wh'))).toBe(PENDING); // not paced by the 5 s of before
  });

  it('sends the waiters away when the endpoint times out, and lets nobody wait for it for a while', async () => {
    const limiter = new EndpointLimiter(1, { maxWaiters: 5 });
    const a = await lease(limiter.acquire('wh'));
    const waiting = [limiter.acquire('wh'), limiter.acquire('wh')];
    limiter.release(a, { durationMs: 10_000, timedOut: true });
    expect(await Promise.all(waiting)).toEqual([null, null]);
    // The freed slot is there for a job that comes along; waiting in line is not.
    await lease(limiter.acquire('wh'));
    expect(await atOnce(limiter.acquire('wh'))).toBeNull();
  });
});

describe('EndpointLimiter.deferralMs', () => {
  it('defers a busy but healthy endpoint’s job briefly, growing with its deferrals', async () => {
    const limiter = new EndpointLimiter(1);
    await lease(limiter.acquire('wh'));
    expect(limiter.deferralMs('wh', 0, () => 1)).toBe(100);
    expect(limiter.deferralMs('wh', 3, () => 1)).toBe(800);
  });

  it('parks a hanging endpoint’s jobs one service interval apart (timeout ÷ limit), each after the last', async () => {
    let now = 0;
    const limiter = new EndpointLimiter(20, { maxWaiters: 0, requestTimeoutMs: 10_000, now: () => now });
    const held = await lease(limiter.acquire('wh_dead'));
    limiter.release(held, { durationMs: 10_000, timedOut: true });
    // 20 slots, 10 s per request: the endpoint starts a request every 500 ms.
    expect([0, 0, 0].map(() => limiter.deferralMs('wh_dead', 0))).toEqual([500, 1_000, 1_500]);
    now = 1_000;
    expect(limiter.deferralMs('wh_dead', 0)).toBe(1_000); // after the last one parked (due at 2 s)
    // Other endpoints are not affected.
    expect(limiter.deferralMs('wh_ok', 0, () => 1)).toBe(100);
  });

  it('treats an endpoint whose oldest request in flight is older than slowMs as slow, paced by that age', async () => {
    let now = 0;
    const limiter = new EndpointLimiter(2, { maxWaiters: 0, slowMs: 1_000, now: () => now });
    await lease(limiter.acquire('wh'));
    await lease(limiter.acquire('wh'));
    now = 500;
    expect(limiter.deferralMs('wh', 0, () => 1)).toBe(100); // full, not slow yet
    now = 4_000;
    expect(limiter.deferralMs('wh', 0)).toBe(2_000); // 4 s in flight ÷ 2 slots
  });

  it('parks nothing beyond maxParkMs: past it, a job comes back around then for a new place', async () => {
    const limiter = new EndpointLimiter(1, { maxWaiters: 0, requestTimeoutMs: 10_000, maxParkMs: 25_000, now: () => 0 });
    limiter.release(await lease(limiter.acquire('wh')), { durationMs: 10_000, timedOut: true });
    expect(limiter.deferralMs('wh', 0)).toBe(10_000);
    expect(limiter.deferralMs('wh', 0)).toBe(20_000);
    expect(limiter.deferralMs('wh', 0, () => 1)).toBe(25_000);
    expect(limiter.deferralMs('wh', 0, () => 0)).toBe(12_500);
  });
});
