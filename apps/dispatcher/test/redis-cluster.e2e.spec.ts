import { newId } from '@inbox/db';
import { createRedisClient, loadDispatcherConfig } from '@inbox/server';
import { redisToolsMissing, startPrivateRedisCluster, type PrivateRedisCluster, type ReceivedRequest } from '@inbox/testing';
import type { DispatcherMetrics } from '../src/metrics/dispatcher-metrics.js';
import { WebhookThrottle } from '../src/delivery/webhook-throttle.js';
import { expectSignedDelivery, startPlatform, type Platform } from './support/platform.js';
import { expectAllArrived, ingestWithChaos } from './support/stream.js';
import { waitFor } from './support/wait.js';

const EVENTS = 30;

const missing = redisToolsMissing();
if (missing) console.warn(missing);

/**
 * Both built apps, as processes, on a Redis Cluster of this file's own (three masters,
 * `REDIS_CLUSTER_NODES`): every key (queue, rate limits, throttle, locks) under the prefix's hash
 * tag. Delivery end to end, then every key of the queue deleted on every master mid-stream.
 */
(missing ? describe.skip : describe)('on a Redis Cluster', () => {
  let cluster: PrivateRedisCluster;
  let platform: Platform;

  beforeAll(async () => {
    cluster = await startPrivateRedisCluster();
    platform = await startPlatform('cluster', { REDIS_URL: '', REDIS_CLUSTER_NODES: cluster.nodes });
  });

  afterAll(async () => {
    await platform?.close();
    await cluster?.destroy();
  });

  it('delivers an ingested event, signed, its keys on the cluster', async () => {
    await expectSignedDelivery(platform);
    // The API's rate limiter counted the webhook's creation there.
    expect(await cluster.deleteKeys(`${platform.world.prefix}:ratelimit:*`)).toBeGreaterThan(0);
  });

  it("runs the webhook throttle's two-key script in one slot (no CROSSSLOT)", async () => {
    const config = loadDispatcherConfig(platform.world.env);
    const redis = createRedisClient(config);
    try {
      await waitFor('the cluster connection', () => redis.status === 'ready');
      const outcomes: string[] = [];
      const metrics = { throttled: { inc: ({ outcome }: { outcome: string }) => outcomes.push(outcome) } } as unknown as DispatcherMetrics;
      const throttle = new WebhookThrottle(redis, config, metrics);
      const webhookId = newId('webhook');
      const turn = () => throttle.turn({ webhookId, deliveryId: newId('delivery'), rateLimit: 1 });
      // One a second: the first goes, the second waits its slot. A Redis error would let both go, `unchecked`.
      await expect(turn()).resolves.toEqual({ send: true });
      await expect(turn()).resolves.toMatchObject({ send: false });
      expect(outcomes).toEqual(['deferred']);
    } finally {
      redis.disconnect();
    }
  });

  it('loses nothing accepted when every key of the queue is deleted on every master mid-stream', async () => {
    const { receiver, world } = platform;
    receiver.requests.length = 0;
    // Every first attempt fails: each event ingested before the wipe has a delayed retry in Redis.
    const firstAttempt = (r: ReceivedRequest) => r.headers['x-inbox-delivery-attempt'] === '1';
    receiver.setHandler((r) => (firstAttempt(r) ? 503 : 200));
    let deleted = 0;
    const accepted = await ingestWithChaos(platform.client, platform.accountId, EVENTS, EVENTS / 3, async () => {
      deleted = await cluster.deleteKeys(`${world.prefix}*`);
    });
    expect(deleted).toBeGreaterThan(0);
    await expectAllArrived(receiver, `Redis Cluster wiped (${deleted} keys deleted)`, accepted, {
      answeredOk: (r) => !firstAttempt(r),
      diagnose: async () => JSON.stringify(await world.fixtures.countByStatus()),
    });
  });
});
