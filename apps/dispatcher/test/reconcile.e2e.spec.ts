import type { INestApplication } from '@nestjs/common';
import { AttemptsRepository, newId, type AccountId } from '@inbox/db';
import { startReceiver, type Receiver } from '@inbox/testing';
import { sleep, waitFor } from './support/wait.js';
import { createTestWorld, startDispatcher, type TestWorld } from './support/world.js';
import type { IngestedEvent } from './support/fixtures.js';

/** testEnv: INBOX_RECONCILE_INTERVAL=1s, INBOX_RECONCILE_GRACE=2s. */
describe('reconciler: pending deliveries with no job are enqueued again', () => {
  let world: TestWorld;
  let app: INestApplication;
  let receiver: Receiver;
  let account: AccountId;
  const lockKey = () => `${world.prefix}:reconcile-lock`;

  beforeAll(async () => {
    world = await createTestWorld('dispatch_reconcile');
    receiver = await startReceiver();
    app = await startDispatcher(world);
    account = await world.fixtures.account();
    await world.fixtures.webhook(account, `${receiver.url}/hook`);
  });

  afterAll(async () => {
    await app?.close();
    await receiver?.close();
    await world?.close();
  });

  const delivered = (eventId: string) => receiver.requests.filter((r) => r.headers['x-inbox-event-id'] === eventId);

  it('delivers, once, events whose jobs were never enqueued (a crash between commit and enqueue)', async () => {
    const events: IngestedEvent[] = [];
    for (let i = 0; i < 20; i++) events.push(await world.fixtures.ingest(account, { type: 'message.delivered', data: { i } }));
    const committed = Date.now();
    // No enqueue: only the reconciler can find these.
    await waitFor('all 20 to arrive', () => events.every((e) => delivered(e.eventId).length > 0), { timeoutMs: 10_000 });
    const firstArrival = Math.min(...events.map((e) => delivered(e.eventId)[0]!.receivedAt));
    expect(firstArrival - committed).toBeGreaterThanOrEqual(1_900); // not before the grace period
    await sleep(1_500);
    expect(events.map((e) => delivered(e.eventId).length)).toEqual(events.map(() => 1));
    for (const e of events) expect(await world.fixtures.delivery(e.deliveryIds[0]!)).toMatchObject({ status: 'succeeded', attempts: 1 });
  });

  it('leaves alone a delivery that still has a live job', async () => {
    const event = await world.fixtures.ingest(account, { type: 'message.read', data: {} });
    const deliveryId = event.deliveryIds[0]!;
    // Overdue by Postgres, but its job is waiting in the delayed set: not lost, so not doubled.
    await world.fixtures.db.query(`UPDATE deliveries SET next_attempt_at = now() - interval '1 minute' WHERE id = $1`, [deliveryId]);
    await world.queue.add('deliver', { deliveryId }, { jobId: deliveryId, delay: 60_000 });
    await sleep(3_500);
    expect(delivered(event.eventId)).toHaveLength(0);
    expect(await world.queue.getJobState(deliveryId)).toBe('delayed');
    await world.queue.remove(deliveryId);
  });

  it('reconciles on one replica at a time (Redis lock per tick)', async () => {
    // Another replica holds the lock: this one skips its ticks.
    await world.redis.set(lockKey(), 'another-replica', 'PX', 60_000);
    const event = await world.fixtures.ingest(account, { type: 'message.failed', data: {} });
    await world.fixtures.db.query(`UPDATE deliveries SET next_attempt_at = now() - interval '1 minute' WHERE id = $1`, [event.deliveryIds[0]]);
    await sleep(2_500);
    expect(delivered(event.eventId)).toHaveLength(0);
    // The lock expires (here: goes away): the next tick picks the delivery up.
    await world.redis.del(lockKey());
    await waitFor('the delivery to arrive', () => delivered(event.eventId).length === 1, { timeoutMs: 5_000 });
  });

  it('does not count a stale duplicate attempt twice (conditional on status and attempt count)', async () => {
    const event = await world.fixtures.ingest(account, { type: 'message.action', data: {} });
    const deliveryId = event.deliveryIds[0]!;
    await world.fixtures.db.query(`UPDATE deliveries SET next_attempt_at = now() + interval '1 hour' WHERE id = $1`, [deliveryId]);
    const attempts = app.get(AttemptsRepository);
    const outcome = (statusCode: number) => ({
      accountId: account,
      attemptId: newId('attempt'),
      deliveryId,
      eventType: 'message.action',
      expectedAttempts: 0,
      requestedAt: new Date(),
      durationMs: 12,
      statusCode,
      error: null,
      errorMessage: null,
      responseBody: 'nope',
      succeeded: false,
      deliveryStatus: 'pending' as const,
      nextAttemptAt: new Date(Date.now() + 3_600_000),
    });
    // Two workers both made attempt 1 (say, after a lost job lock): only the first write counts.
    const policy = { autoDisableAfterMs: 0 };
    expect((await attempts.recordOutcomes([outcome(500)], policy)).recorded).toEqual(new Set([deliveryId]));
    expect((await attempts.recordOutcomes([outcome(503)], policy)).recorded).toEqual(new Set());
    expect(await world.fixtures.delivery(deliveryId)).toMatchObject({ status: 'pending', attempts: 1 });
    expect((await world.fixtures.attempts(deliveryId)).map((a) => [a.attempt_number, a.status_code])).toEqual([[1, 500]]);
  });
});
