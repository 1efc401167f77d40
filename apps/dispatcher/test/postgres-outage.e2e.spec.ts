import type { INestApplication } from '@nestjs/common';
import { exampleEvents } from '@inbox/events';
import { startReceiver, startTcpProxy, type Receiver, type TcpProxy } from '@inbox/testing';
import { waitFor } from './support/wait.js';
import { createTestWorld, startDispatcher, type TestWorld } from './support/world.js';

/**
 * The dispatcher with its Postgres taken away, honestly: it reaches this file's database through a
 * TCP proxy that refuses connections and resets open ones (Postgres stopped), while the test reads
 * and writes the database directly. A delivery must not spend an attempt on an outage — not in
 * Postgres (`deliveries.attempts`, attempt rows) and not in BullMQ (`attemptsMade`) — and must
 * arrive once Postgres is back, with no restart.
 */
describe('Postgres unavailable to the dispatcher: deliveries wait without spending attempts', () => {
  let world: TestWorld;
  let proxy: TcpProxy;
  let receiver: Receiver;
  let app: INestApplication;

  beforeAll(async () => {
    world = await createTestWorld('dispatch_pg_outage', { DATABASE_CONNECT_TIMEOUT: '500ms', DATABASE_STATEMENT_TIMEOUT: '1s' });
    proxy = await startTcpProxy(world.env.DATABASE_URL!);
    receiver = await startReceiver();
    app = await startDispatcher(world, { DATABASE_URL: proxy.via(world.env.DATABASE_URL!) });
  });

  afterAll(async () => {
    await proxy?.pass();
    await app?.close();
    await receiver?.close();
    await proxy?.close();
    await world?.close();
  });

  /** One event to a webhook of its own at `path`; returns its delivery id (not enqueued yet). */
  async function eventTo(path: string): Promise<string> {
    const account = await world.fixtures.account();
    await world.fixtures.webhook(account, `${receiver.url}${path}`);
    const event = await world.fixtures.ingest(account, { type: 'message.read', data: exampleEvents['message.read'].data });
    return event.deliveryIds[0]!;
  }

  /** The job, once it went back to the delayed set at least `times` times without a BullMQ attempt. */
  const waitedWithoutAttempt = (deliveryId: string, times: number) =>
    waitFor(`the job of ${deliveryId} to wait ${times} times`, async () => {
      const job = await world.queue.getJob(deliveryId);
      return job && job.attemptsStarted >= times && (await job.getState()) === 'delayed' && job;
    });

  const delivered = (deliveryId: string) =>
    waitFor(`delivery ${deliveryId} to succeed`, async () => (await world.fixtures.delivery(deliveryId)).status === 'succeeded', { timeoutMs: 15_000 });

  it('a delivery that cannot be loaded waits, then arrives once as attempt 1 when Postgres is back', async () => {
    const deliveryId = await eventTo('/unloaded');
    await proxy.down();
    await world.enqueue([deliveryId]);

    const job = await waitedWithoutAttempt(deliveryId, 2);
    expect(job.attemptsMade).toBe(0);
    expect(receiver.requests.filter((r) => r.path === '/unloaded')).toEqual([]);
    expect(await world.fixtures.delivery(deliveryId)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await world.fixtures.attempts(deliveryId)).toEqual([]);

    await proxy.pass();
    await delivered(deliveryId);
    const requests = receiver.requests.filter((r) => r.path === '/unloaded');
    expect(requests.map((r) => r.headers['x-inbox-delivery-attempt'])).toEqual(['1']);
    expect((await world.fixtures.attempts(deliveryId)).map((a) => [a.attempt_number, a.status_code])).toEqual([[1, 200]]);
    expect(await world.fixtures.delivery(deliveryId)).toMatchObject({ status: 'succeeded', attempts: 1 });
  });

  it('a POST whose attempt cannot be recorded is sent again later — same bytes, same event id — and counted once', async () => {
    const deliveryId = await eventTo('/unrecorded');
    // The endpoint answers 200, but Postgres goes away while it does: the attempt cannot be written.
    receiver.setHandler(async (request) => {
      if (request.path === '/unrecorded' && receiver.requests.filter((r) => r.path === '/unrecorded').length === 1) await proxy.down();
      return 200;
    });
    await world.enqueue([deliveryId]);

    await receiver.waitFor(1, { filter: (r) => r.path === '/unrecorded' });
    const job = await waitedWithoutAttempt(deliveryId, 2);
    expect(job.attemptsMade).toBe(0);
    expect(await world.fixtures.delivery(deliveryId)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await world.fixtures.attempts(deliveryId)).toEqual([]);

    await proxy.pass();
    await delivered(deliveryId);
    const requests = receiver.requests.filter((r) => r.path === '/unrecorded');
    expect(requests).toHaveLength(2);
    const [first, second] = requests as [(typeof requests)[0], (typeof requests)[0]];
    expect(second.body.equals(first.body)).toBe(true);
    expect(second.headers['x-inbox-event-id']).toBe(first.headers['x-inbox-event-id']);
    expect(requests.map((r) => r.headers['x-inbox-delivery-attempt'])).toEqual(['1', '1']);
    expect((await world.fixtures.attempts(deliveryId)).map((a) => [a.attempt_number, a.status_code])).toEqual([[1, 200]]);
    expect(await world.fixtures.delivery(deliveryId)).toMatchObject({ status: 'succeeded', attempts: 1 });
  });
});
