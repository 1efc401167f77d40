import request from 'supertest';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AccountId } from '@inbox/db';
import { startPrivateRedis, startReceiver, type PrivateRedis, type Receiver } from '@inbox/testing';
import { waitFor } from './support/wait.js';
import { createTestWorld, startDispatcher, type TestWorld } from './support/world.js';

/**
 * The dispatcher on a Redis of this file's own, stopped and started again on the same port (empty,
 * as a Redis without persistence comes back): it stays live, is not ready while Redis is away, and
 * delivers again by itself afterwards, what was committed meanwhile included (the reconciler
 * enqueues it: testEnv has INBOX_RECONCILE_INTERVAL=1s, INBOX_RECONCILE_GRACE=2s).
 */
describe('dispatcher through a Redis outage', () => {
  let redis: PrivateRedis;
  let world: TestWorld;
  let app: NestExpressApplication;
  let receiver: Receiver;
  let account: AccountId;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    world = await createTestWorld('dispatch_redis_outage', { REDIS_URL: redis.url });
    receiver = await startReceiver();
    app = await startDispatcher(world);
    account = await world.fixtures.account();
    await world.fixtures.webhook(account, `${receiver.url}/hook`);
  });

  afterAll(async () => {
    await app?.close();
    await receiver?.close();
    await world?.close();
    await redis?.destroy();
  });

  const health = (path: 'live' | 'ready') => request(app.getHttpServer()).get(`/health/${path}`);
  const arrived = (eventId: string) => receiver.requests.some((r) => r.headers['x-inbox-event-id'] === eventId);

  it('delivers, and is live and ready, while Redis answers', async () => {
    const event = await world.fixtures.ingest(account, { type: 'message.read', data: {} });
    await waitFor('the first event to arrive', () => arrived(event.eventId), { timeoutMs: 15_000 });
    expect((await health('live').expect(200)).body.details.worker.status).toBe('up');
    const ready = await health('ready').expect(200);
    expect(ready.body.details).toMatchObject({ postgres: { status: 'up' }, redis: { status: 'up' }, worker: { status: 'up' } });
  });

  it('stays live but not ready while Redis is stopped, answering at once', async () => {
    await redis.stop();
    const started = Date.now();
    const ready = await health('ready').expect(503);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(ready.body.error.redis.status).toBe('down');
    expect(ready.body.details).toMatchObject({ postgres: { status: 'up' }, worker: { status: 'up' } });
    // The worker waits for Redis rather than dying: no restart is asked for.
    expect((await health('live').expect(200)).body.details.worker.status).toBe('up');
  });

  it('delivers again once Redis is back, what was committed during the outage included, without a restart', async () => {
    const duringOutage = await world.fixtures.ingest(account, { type: 'message.failed', data: {} });
    await redis.start();
    await waitFor('the event committed during the outage to arrive', () => arrived(duringOutage.eventId), { timeoutMs: 20_000 });
    await waitFor('the dispatcher to be ready again', async () => (await health('ready')).status === 200, { timeoutMs: 5_000 });
    const after = await world.fixtures.ingest(account, { type: 'message.delivered', data: {} });
    await waitFor('an event committed after the outage to arrive', () => arrived(after.eventId), { timeoutMs: 15_000 });
    expect(await world.fixtures.delivery(duringOutage.deliveryIds[0]!)).toMatchObject({ status: 'succeeded', attempts: 1 });
  });
});
