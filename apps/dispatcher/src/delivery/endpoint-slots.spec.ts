import { EndpointSlots, type Lease } from './endpoint-slots.js';

const slotsOf = (limit: number, maxWaitMs = 1_000) => new EndpointSlots(limit, { maxWaitMs, now: Date.now });

const lease = (slot: Lease | null): Lease => {
  if (!slot) throw new Error('expected a slot at once, got null');
  return slot;
};

describe('EndpointSlots', () => {
  it('caps in-flight requests per endpoint, independently of other endpoints', () => {
    const slots = slotsOf(2);
    const a = lease(slots.take('wh_slow'));
    lease(slots.take('wh_slow'));
    expect(slots.take('wh_slow')).toBeNull();
    lease(slots.take('wh_fast'));
    slots.release(a);
    expect(slots.count('wh_slow')).toBe(1);
    lease(slots.take('wh_slow'));
  });

  it('forgets an endpoint once idle, and ignores a second release of one lease', () => {
    const idle: string[] = [];
    const slots = new EndpointSlots(1, { maxWaitMs: 1_000, now: Date.now, onIdle: (endpoint) => idle.push(endpoint) });
    const a = lease(slots.take('wh_a'));
    slots.release(a);
    slots.release(a);
    expect(slots.count('wh_a')).toBe(0);
    expect(slots.size).toBe(0);
    expect(idle).toEqual(['wh_a']);
    lease(slots.take('wh_a'));
  });

  it('gives up a wait after maxWaitMs, and the slot is never handed to the one who left', async () => {
    const slots = slotsOf(1, 20);
    const a = lease(slots.take('wh'));
    const waiting = slots.wait('wh');
    expect(await waiting).toBeNull();
    expect(slots.waiters('wh')).toBe(0);
    slots.release(a);
    expect(slots.size).toBe(0);
  });
});
