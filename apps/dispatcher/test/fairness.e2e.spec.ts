import type { INestApplication } from '@nestjs/common';
import { startReceiver, type Receiver } from '@inbox/testing';
import { waitFor } from './support/wait.js';
import { createTestWorld, startDispatcher, type TestWorld } from './support/world.js';

/** Each answer of the slow endpoint takes this long. */
const SLOW_MS = 2_000;

describe('fairness: a slow endpoint does not hold the workers hostage', () => {
  let world: TestWorld;
  let app: INestApplication;
  let slow: Receiver;
  let fast: Receiver;

  beforeAll(async () => {
    world = await createTestWorld('dispatch_fairness', { INBOX_DISPATCHER_CONCURRENCY: '10', INBOX_ENDPOINT_CONCURRENCY: '3', INBOX_DELIVERY_TIMEOUT: '4s' });
    slow = await startReceiver(() => ({ status: 200, delayMs: SLOW_MS }));
    fast = await startReceiver();
    app = await startDispatcher(world);
  });

  afterAll(async () => {
    await app?.close();
    await slow?.close();
    await fast?.close();
    await world?.close();
  });

  it('caps in-flight requests per endpoint and keeps the others flowing; deferrals cost no attempt', async () => {
    const slowAccount = await world.fixtures.account('Slow');
    const fastAccount = await world.fixtures.account('Fast');
    await world.fixtures.webhook(slowAccount, `${slow.url}/hook`);
    await world.fixtures.webhook(fastAccount, `${fast.url}/hook`);
    const slowIds: string[] = [];
    const fastIds: string[] = [];
    for (let i = 0; i < 6; i++) slowIds.push(...(await world.fixtures.ingest(slowAccount, { type: 'message.read', data: { i } })).deliveryIds);
    for (let i = 0; i < 30; i++) fastIds.push(...(await world.fixtures.ingest(fastAccount, { type: 'message.read', data: { i } })).deliveryIds);

    // The slow endpoint's jobs go first: with a shared pool, six of the ten workers would sit on them.
    await world.enqueue(slowIds);
    const started = Date.now();
    await world.enqueue(fastIds);

    await fast.waitFor(30, { timeoutMs: 5_000 });
    const fastDone = Date.now() - started;
    // All of them before the slow endpoint answered even once, while it held its 3 slots.
    expect(fastDone).toBeLessThan(SLOW_MS);
    expect(slow.requests).toHaveLength(3);

    await slow.waitFor(6, { timeoutMs: 10_000 });
    expect(slow.maxInFlight).toBe(3);

    const rows = await waitFor('every delivery to succeed', async () => {
      const all = await Promise.all([...slowIds, ...fastIds].map((id) => world.fixtures.delivery(id)));
      return all.every((r) => r.status === 'succeeded') && all;
    });
    // Waiting for a free slot is not an attempt: each delivery was tried exactly once.
    expect(rows.every((r) => r.attempts === 1)).toBe(true);
    expect(slow.requests).toHaveLength(6);
  });
});
