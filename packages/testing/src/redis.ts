import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';

/**
 * A Redis key prefix of the test file's own (`{test_<label>_<random>}`: a hash tag, like production's
 * `{inbox}`), so files sharing one Redis never see each other's queues or counters. cleanup()
 * deletes every key under it.
 */
export function createTestRedisPrefix(label = 't'): { url: string; prefix: string; cleanup: () => Promise<void> } {
  const safe = label.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 30);
  const prefix = `{test_${safe}_${randomBytes(4).toString('hex')}}`;
  return {
    url: TEST_REDIS_URL,
    prefix,
    cleanup: async () => {
      const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
      try {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
          cursor = next;
          if (keys.length > 0) await redis.del(...keys);
        } while (cursor !== '0');
      } finally {
        redis.disconnect();
      }
    },
  };
}

/**
 * Redis connections of their own (standing for separate replicas, say), each made by `open` and
 * resolved once ready; `disconnectAll` closes every one (in afterAll).
 */
export function testRedisConnections(open: () => Redis): { connect: () => Promise<Redis>; disconnectAll: () => void } {
  const connections: Redis[] = [];
  return {
    connect: async () => {
      const redis = open();
      connections.push(redis);
      await new Promise((resolve) => redis.once('ready', resolve));
      return redis;
    },
    disconnectAll: () => {
      for (const c of connections.splice(0)) c.disconnect();
    },
  };
}
