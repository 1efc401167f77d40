import type { INestApplication } from '@nestjs/common';
import { startReceiver, type Receiver, type ReceivedRequest } from '@inbox/testing';
import { sleep, waitFor } from './support/wait.js';
import { createTestWorld, startDispatcher, type TestWorld } from './support/world.js';

/** testEnv's schedule: `0,1s,1s,1s,1s,1s` — six attempts, one second apart. */
describe('retries on the schedule (real Postgres, Redis and receiver)', () => {
  let world: TestWorld;
  let app: INestApplication;
  let receiver: Receiver;
  let recovering: { deliveryId: string };
  let dead: { deliveryId: string };

  const gaps = (requests: ReceivedRequest[]) => requests.slice(1).map((r, i) => r.receivedAt - requests[i]!.receivedAt);

  beforeAll(async () => {
    world = await createTestWorld('dispatch_retries');
    receiver = await startReceiver();
    app = await startDispatcher(world);
    const account = await world.fixtures.account();
    await world.fixtures.webhook(account, `${receiver.url}/recovering`, { events: ['message.delivered'] });
    await world.fixtures.webhook(account, `${receiver.url}/dead`, { events: ['message.read'] });
    // The two scenarios run side by side: each endpoint sees only its own event.
    let recoveringCalls = 0;
    receiver.setHandler((request) => {
      if (request.path === '/dead') return { status: 503, body: 'down for maintenance' };
      recoveringCalls += 1;
      return recoveringCalls <= 2 ? { status: 500, body: `boom ${recoveringCalls}` } : { status: 200, body: 'thanks' };
    });
    const a = await world.fixtures.ingest(account, { type: 'message.delivered', data: { n: 1 } });
    const b = await world.fixtures.ingest(account, { type: 'message.read', data: { n: 2 } });
    recovering = { deliveryId: a.deliveryIds[0]! };
    dead = { deliveryId: b.deliveryIds[0]! };
    await world.enqueue([recovering.deliveryId, dead.deliveryId]);
  });

  afterAll(async () => {
    await app?.close();
    await receiver?.close();
    await world?.close();
  });

  it('500, 500, 200: exactly three attempts at the scheduled gaps, then succeeded', async () => {
    const row = await waitFor('the recovering delivery to succeed', async () => {
      const r = await world.fixtures.delivery(recovering.deliveryId);
      return r.status === 'succeeded' && r;
    });
    expect(row).toMatchObject({ attempts: 3, next_attempt_at: null });
    const requests = receiver.requests.filter((r) => r.path === '/recovering');
    expect(requests).toHaveLength(3);
    for (const gap of gaps(requests)) {
      expect(gap).toBeGreaterThanOrEqual(900);
      expect(gap).toBeLessThan(2500);
    }
    const log = await world.fixtures.attempts(recovering.deliveryId);
    expect(log.map((a) => [a.attempt_number, a.status_code, a.succeeded, a.response_body])).toEqual([
      [1, 500, false, 'boom 1'],
      [2, 500, false, 'boom 2'],
      [3, 200, true, 'thanks'],
    ]);
    expect(log.every((a) => a.error === null && a.duration_ms >= 0)).toBe(true);
  });

  it('always 503: six attempts, then failed, then silence', async () => {
    const row = await waitFor(
      'the dead delivery to fail',
      async () => {
        const r = await world.fixtures.delivery(dead.deliveryId);
        return r.status === 'failed' && r;
      },
      { timeoutMs: 15_000 },
    );
    expect(row).toMatchObject({ attempts: 6, next_attempt_at: null });
    const requests = receiver.requests.filter((r) => r.path === '/dead');
    expect(requests.map((r) => r.headers['x-inbox-delivery-attempt'])).toEqual(['1', '2', '3', '4', '5', '6']);
    for (const gap of gaps(requests)) {
      expect(gap).toBeGreaterThanOrEqual(900);
      expect(gap).toBeLessThan(2500);
    }
    const log = await world.fixtures.attempts(dead.deliveryId);
    expect(log.map((a) => [a.attempt_number, a.status_code, a.succeeded])).toEqual(
      [1, 2, 3, 4, 5, 6].map((n) => [n, 503, false]),
    );
    expect(log[0]!.response_body).toBe('down for maintenance');

    // No 7th attempt, and no job left behind for it.
    await sleep(2_000);
    expect(receiver.requests.filter((r) => r.path === '/dead')).toHaveLength(6);
    expect(await world.queue.getJob(dead.deliveryId)).toBeUndefined();
    expect(await world.fixtures.attempts(dead.deliveryId)).toHaveLength(6);
  });
});
