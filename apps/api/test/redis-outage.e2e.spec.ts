import { Queue } from 'bullmq';
import { exampleEvents } from '@inbox/events';
import { DELIVERY_QUEUE, DependencyGauge, MetricsServer, queuePrefix } from '@inbox/server';
import { freePort, metricSample, startPrivateRedis, type PrivateRedis } from '@inbox/testing';
import { createAccount, createWebhook, internalAuth, startApi, type Harness, type TestAccount } from './support/harness.js';

/** Loose: Redis-bound waits are 250 ms; anything near the old hangs (2 s per ingest, 30 s+ per list) fails. */
const QUICK_MS = 2_000;

const delivered = exampleEvents['message.delivered'];
const event = (accountId: string) => ({ account_id: accountId, type: delivered.type, data: structuredClone(delivered.data) });

/** `check()`'s first defined answer, asked every 200 ms for up to `ms`. */
async function within<T>(ms: number, check: () => Promise<T | undefined>): Promise<T | undefined> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function timed<T>(request: () => PromiseLike<T>): Promise<{ res: T; ms: number }> {
  const started = Date.now();
  const res = await request();
  return { res, ms: Date.now() - started };
}

/** Customer calls, ingest and readiness while Redis is unreachable or hung: none waits on it. */
describe('API with Redis away', () => {
  describe('booted with nothing listening at REDIS_URL', () => {
    let h: Harness;
    let account: TestAccount;
    let webhookId: string;

    beforeAll(async () => {
      h = await startApi('api_redis_down', { REDIS_URL: `redis://127.0.0.1:${await freePort()}/0` });
      account = await createAccount(h);
      webhookId = (await createWebhook(h, account, { url: 'https://example.com/hook', events: ['message.delivered'] })).id;
    });

    afterAll(async () => {
      await h?.close();
    });

    it('answers customer calls at once, unlimited (no rate-limit headers)', async () => {
      for (let i = 0; i < 3; i++) {
        const { res, ms } = await timed(() => h.http().get('/v1/webhooks').set(account.auth));
        expect(res.status).toBe(200);
        expect(res.body.data.map((w: { id: string }) => w.id)).toEqual([webhookId]);
        expect(res.headers['x-ratelimit-limit']).toBeUndefined();
        expect(ms).toBeLessThan(QUICK_MS);
      }
    });

    it('accepts an event with 202 at once, the event and its pending delivery committed for the reconciler', async () => {
      const { res, ms } = await timed(() => h.http().post('/internal/v1/events').set(internalAuth).send(event(account.id)));
      expect(res.status).toBe(202);
      expect(res.body.deliveries).toBe(1);
      expect(ms).toBeLessThan(QUICK_MS);
      const { rows } = await h.sql.query('SELECT d.webhook_id, d.status FROM events e JOIN deliveries d ON d.event_id = e.id WHERE e.id = $1', [res.body.id]);
      expect(rows).toEqual([{ webhook_id: webhookId, status: 'pending' }]);
    });

    it('is ready (Postgres answers) and reports Redis degraded', async () => {
      const { res, ms } = await timed(() => h.http().get('/health/ready'));
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('degraded');
      expect(res.body.details.postgres.status).toBe('up');
      expect(res.body.details.redis).toMatchObject({ status: 'degraded', message: expect.stringMatching(/Redis connection is/) });
      expect(ms).toBeLessThan(QUICK_MS);
    });

    it('reports Redis down and Postgres up on inbox_dependency_up', async () => {
      await h.app.get(DependencyGauge).check(); // as its 5 s timer does
      const text = await (await fetch(h.app.get(MetricsServer).url)).text();
      expect(metricSample(text, 'inbox_dependency_up', { dependency: 'redis' })).toBe(0);
      expect(metricSample(text, 'inbox_dependency_up', { dependency: 'postgres' })).toBe(1);
    });
  });

  describe('on a Redis of its own that hangs, then stops, then comes back', () => {
    let redis: PrivateRedis;
    let h: Harness;
    let account: TestAccount;
    let webhookId: string;

    beforeAll(async () => {
      redis = await startPrivateRedis();
      h = await startApi('api_redis_flaky', { REDIS_URL: redis.url });
      account = await createAccount(h);
      webhookId = (await createWebhook(h, account, { url: 'https://example.com/hook', events: ['message.delivered'] })).id;
    });

    afterAll(async () => {
      await h?.close();
      await redis?.destroy();
    });

    const limited = async () => (await h.http().get('/v1/webhooks').set(account.auth).expect(200)).headers['x-ratelimit-limit'];

    it('counts requests while Redis answers', async () => {
      expect(await limited()).toBe('1200');
    });

    it('goes on without a hung Redis (connected, silent) after a short wait', async () => {
      redis.pause();
      try {
        const list = await timed(() => h.http().get('/v1/webhooks').set(account.auth));
        expect(list.res.status).toBe(200);
        expect(list.res.headers['x-ratelimit-limit']).toBeUndefined();
        expect(list.ms).toBeLessThan(QUICK_MS);
        const ingest = await timed(() => h.http().post('/internal/v1/events').set(internalAuth).send(event(account.id)));
        expect(ingest.res.status).toBe(202);
        expect(ingest.ms).toBeLessThan(QUICK_MS);
        const ready = await timed(() => h.http().get('/health/ready'));
        expect(ready.res.status).toBe(200);
        expect(ready.res.body.details.redis.status).toBe('degraded');
        expect(ready.ms).toBeLessThan(QUICK_MS);
      } finally {
        redis.resume();
      }
    });

    it('goes on without a stopped Redis, and limits and enqueues again once it is back', async () => {
      await redis.stop();
      const list = await timed(() => h.http().get('/v1/webhooks').set(account.auth));
      expect(list.res.status).toBe(200);
      expect(list.ms).toBeLessThan(QUICK_MS);
      const ingest = await timed(() => h.http().post('/internal/v1/events').set(internalAuth).send(event(account.id)));
      expect(ingest.res.status).toBe(202);
      expect(ingest.ms).toBeLessThan(QUICK_MS);

      await redis.start();
      // The connections dial again within a few seconds; no restart.
      expect(await within(10_000, limited)).toBe('1200');
      const ready = await h.http().get('/health/ready').expect(200);
      expect(ready.body.details.redis.status).toBe('up');
      const queue = new Queue(DELIVERY_QUEUE, { connection: { url: redis.url }, prefix: queuePrefix(h.config) });
      try {
        const job = await within(10_000, async () => {
          const res = await h.http().post('/internal/v1/events').set(internalAuth).send(event(account.id)).expect(202);
          const { rows } = await h.sql.query<{ id: string }>('SELECT id FROM deliveries WHERE event_id = $1', [res.body.id]);
          return queue.getJob(rows[0]!.id);
        });
        expect(job?.data.webhookId).toBe(webhookId);
      } finally {
        await queue.close();
      }
    });
  });
});
