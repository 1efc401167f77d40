import type { Redis } from 'ioredis';
import { newId, type DeliveryId, type WebhookId } from '@inbox/db';
import { createRedis, loadDispatcherConfig } from '@inbox/server';
import { createTestRedisPrefix, testEnv, testRedisConnections } from '@inbox/testing';
import type { DispatcherMetrics } from '../metrics/dispatcher-metrics.js';
import { THROTTLE_EARLY_WAKE_MS, THROTTLE_HOLD_MS, WebhookThrottle, type ThrottleTurn } from './webhook-throttle.js';

/** Real Redis: two throttles on connections of their own stand for two dispatcher replicas. */
describe('WebhookThrottle (real Redis)', () => {
  const prefix = createTestRedisPrefix('throttle');
  const config = loadDispatcherConfig(testEnv({ REDIS_URL: prefix.url, INBOX_QUEUE_PREFIX: prefix.prefix }));
  const outcomes: string[] = [];
  const metrics = { throttled: { inc: ({ outcome }: { outcome: string }) => outcomes.push(outcome) } } as unknown as DispatcherMetrics;
  const { connect, disconnectAll } = testRedisConnections(() => createRedis(prefix.url));
  let replicas: [WebhookThrottle, WebhookThrottle];
  let inspect: Redis;

  beforeAll(async () => {
    replicas = [new WebhookThrottle(await connect(), config, metrics), new WebhookThrottle(await connect(), config, metrics)];
    inspect = await connect();
  });

  afterAll(async () => {
    disconnectAll();
    await prefix.cleanup();
  });

  const keyOf = (webhookId: WebhookId) => `${prefix.prefix}:throttle:${webhookId}`;
  const booked = async (webhookId: WebhookId) => {
    const flat = await inspect.zrange(`${keyOf(webhookId)}:booked`, '0', '-1', 'WITHSCORES');
    return Array.from({ length: flat.length / 2 }, (_, i) => ({ deliveryId: flat[2 * i]!, slot: Number(flat[2 * i + 1]) }));
  };
  const turn = (replica: 0 | 1, webhookId: WebhookId, deliveryId: DeliveryId, rateLimit: number | null): Promise<ThrottleTurn> =>
    replicas[replica].turn({ webhookId, deliveryId, rateLimit });

  it('lets every delivery of an unlimited webhook through without touching Redis', async () => {
    const webhookId = newId('webhook');
    for (let i = 0; i < 5; i++) expect(await turn(0, webhookId, newId('delivery'), null)).toEqual({ send: true });
    expect(await inspect.exists(keyOf(webhookId), `${keyOf(webhookId)}:booked`)).toBe(0);
  });

  it('books one slot per delivery, 1000/rate ms apart on one clock, whichever replica asks', async () => {
    const webhookId = newId('webhook');
    const deliveries = Array.from({ length: 12 }, () => newId('delivery'));
    const turns = await Promise.all(deliveries.map((d, i) => turn((i % 2) as 0 | 1, webhookId, d, 10)));
    // Slots due within the hold (now, +100 ms, +200 ms) were waited for here; later ones deferred.
    const sent = deliveries.filter((_, i) => turns[i]!.send);
    const deferred = deliveries.filter((_, i) => !turns[i]!.send);
    expect(sent.length).toBeGreaterThanOrEqual(3);
    expect(deferred.length).toBeGreaterThanOrEqual(6);
    expect(turns.every((t) => t.send || t.retryInMs > THROTTLE_HOLD_MS - THROTTLE_EARLY_WAKE_MS)).toBe(true);
    const slots = await booked(webhookId);
    expect(slots.map((s) => s.deliveryId).sort()).toEqual([...deferred].sort());
    // Exactly one interval between consecutive slots: never two in the same 100 ms.
    for (let i = 1; i < slots.length; i++) expect(slots[i]!.slot - slots[i - 1]!.slot).toBeCloseTo(100, 2);
  });

  const retryIn = (t: ThrottleTurn) => (t.send ? 0 : t.retryInMs);
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('keeps a booked slot for its job: back early it waits the rest, back when told it goes, and books nothing new', async () => {
    const webhookId = newId('webhook');
    const later = newId('delivery');
    expect(await turn(0, webhookId, newId('delivery'), 2)).toEqual({ send: true });
    const booking = await turn(1, webhookId, later, 2);
    expect(retryIn(booking)).toBeGreaterThan(THROTTLE_HOLD_MS - THROTTLE_EARLY_WAKE_MS);
    const nextFree = await inspect.hget(keyOf(webhookId), 'next');

    const early = await turn(0, webhookId, later, 2);
    expect(early.send).toBe(false);
    expect(retryIn(early)).toBeLessThanOrEqual(retryIn(booking));
    expect(await inspect.hget(keyOf(webhookId), 'next')).toBe(nextFree);

    await sleep(retryIn(early));
    expect(await turn(1, webhookId, later, 2)).toEqual({ send: true });
    expect(await booked(webhookId)).toEqual([]);
    expect(await inspect.hget(keyOf(webhookId), 'next')).toBe(nextFree);
  });

  it('moves the slots after a job that came back late, so no two sends are closer than one interval', async () => {
    const webhookId = newId('webhook');
    const [late, next] = [newId('delivery'), newId('delivery')];
    expect(await turn(0, webhookId, newId('delivery'), 2)).toEqual({ send: true });
    const lateTurn = await turn(0, webhookId, late, 2);
    expect((await turn(1, webhookId, next, 2)).send).toBe(false);
    const [lateSlot, nextSlot] = (await booked(webhookId)).map((b) => b.slot);
    expect(nextSlot! - lateSlot!).toBeCloseTo(500, 2);

    // Back 300 ms after its slot: it goes at once, and the next booked slot moves to 500 ms after that.
    await sleep(retryIn(lateTurn) + THROTTLE_EARLY_WAKE_MS + 300);
    expect(await turn(1, webhookId, late, 2)).toEqual({ send: true });
    const lastSent = Number(await inspect.hget(keyOf(webhookId), 'last'));
    expect(lastSent - lateSlot!).toBeGreaterThanOrEqual(300);
    const back = await turn(0, webhookId, next, 2);
    expect(back.send).toBe(false);
    expect((await booked(webhookId)).map((b) => b.slot)).toEqual([expect.closeTo(lastSent + 500, 2)]);
  });

  it('applies a changed limit at once: slots booked at the old pace are void', async () => {
    const webhookId = newId('webhook');
    for (let i = 0; i < 4; i++) await turn(0, webhookId, newId('delivery'), 1);
    expect(await booked(webhookId)).toHaveLength(3);
    expect(await turn(1, webhookId, newId('delivery'), 1000)).toEqual({ send: true });
    expect(await booked(webhookId)).toEqual([]);
  });

  it('fails open while Redis is unavailable: the delivery goes, counted as unchecked', async () => {
    const down = createRedis('redis://127.0.0.1:1', { retryStrategy: () => null });
    down.on('error', () => {});
    const throttle = new WebhookThrottle(down, config, metrics);
    outcomes.length = 0;
    expect(await throttle.turn({ webhookId: newId('webhook'), deliveryId: newId('delivery'), rateLimit: 1 })).toEqual({ send: true });
    expect(outcomes).toEqual(['unchecked']);
    down.disconnect();
  });
});
