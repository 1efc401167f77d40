import type { NestExpressApplication } from '@nestjs/platform-express';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { DELIVERY_QUEUE, deliverJob, FairShare, loadDispatcherConfig, queuePrefix, type DispatcherConfig } from '@inbox/server';
import { createTestDatabase, createTestRedisPrefix, testEnv } from '@inbox/testing';
import { createDispatcherApp } from '../../src/bootstrap.js';
import { Fixtures } from './fixtures.js';

/**
 * One test file's world: its own database (cloned from the migrated template) and Redis prefix,
 * the env and config to boot a dispatcher on them, fixtures to write what ingest writes, and the
 * delivery queue to enqueue as ingest does.
 */
export interface TestWorld {
  env: Record<string, string>;
  config: DispatcherConfig;
  fixtures: Fixtures;
  queue: Queue;
  redis: Redis;
  prefix: string;
  /** What ingest does after its commit: one job per delivery, job id = delivery id. */
  enqueue(deliveryIds: readonly string[]): Promise<void>;
  /** The same, each job taking its place in its account's line, as the API enqueues. */
  enqueueFair(accountId: string, deliveryIds: readonly string[]): Promise<void>;
  /** Deletes every Redis key of this world ("Redis lost everything"). */
  flushRedis(): Promise<number>;
  close(): Promise<void>;
}

export async function createTestWorld(label: string, overrides: Record<string, string> = {}): Promise<TestWorld> {
  const db = await createTestDatabase(label);
  const redisPrefix = createTestRedisPrefix(label);
  const env = testEnv({ DATABASE_URL: db.url, REDIS_URL: redisPrefix.url, INBOX_QUEUE_PREFIX: redisPrefix.prefix, ...overrides });
  const config = loadDispatcherConfig(env);
  const fixtures = await Fixtures.connect(db.url, config.secretKey);
  const redis = new Redis(redisPrefix.url, { maxRetriesPerRequest: null });
  const queue = new Queue(DELIVERY_QUEUE, { connection: redis, prefix: redisPrefix.prefix });
  const fair = new FairShare(redis, queuePrefix(config));
  return {
    env,
    config,
    fixtures,
    queue,
    redis,
    prefix: redisPrefix.prefix,
    async enqueue(ids) {
      if (ids.length > 0) await queue.addBulk(ids.map((id) => deliverJob({ deliveryId: id })));
    },
    async enqueueFair(accountId, ids) {
      const priorities = await fair.placesFor(ids.map(() => accountId));
      await queue.addBulk(ids.map((id, i) => deliverJob({ deliveryId: id, fair: { accountId, priority: priorities[i]! } })));
    },
    async flushRedis() {
      let deleted = 0;
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${redisPrefix.prefix}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) deleted += await redis.del(...keys);
      } while (cursor !== '0');
      return deleted;
    },
    async close() {
      await queue.close();
      redis.disconnect();
      await fixtures.close();
      await redisPrefix.cleanup();
      await db.drop();
    },
  };
}

/** A dispatcher booted in this process on the world's database and Redis prefix, workers running. */
export async function startDispatcher(world: TestWorld, overrides: Record<string, string> = {}): Promise<NestExpressApplication> {
  const app = await createDispatcherApp(loadDispatcherConfig({ ...world.env, ...overrides }));
  await app.init();
  return app;
}
