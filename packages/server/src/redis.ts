import { Redis, type RedisOptions } from 'ioredis';

/**
 * A Redis connection for BullMQ and the rate limiter. `REDIS_URL` may carry a db index
 * (`redis://host:6379/3`), which ioredis honours. BullMQ workers need maxRetriesPerRequest null.
 */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false, ...options });
}
