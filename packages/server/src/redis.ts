import { Redis, type RedisOptions } from 'ioredis';
import { withTimeout } from './timeout.js';

/**
 * The most a request (an API call, a health probe) waits on Redis before it goes on without it.
 * Redis is never the source of truth here, so a request never needs to wait longer.
 */
export const REDIS_WAIT_MS = 250;

/**
 * A connection that answers within five seconds of a command, or is dropped and dialled again: a
 * Redis that hangs with its socket open (paused, partitioned) would otherwise hold commands for as
 * long as TCP takes to notice. Only for connections that never send blocking commands.
 */
const HUNG_SOCKET_MS = 5_000;

/** Dial again soon after Redis is back (ioredis's own curve; BullMQ's default waits up to 20 s). */
const reconnectDelay = (attempt: number): number => Math.min(attempt * 50, 2_000);

/**
 * For connections that serve requests (the app's own, the API's queue producer): while Redis is
 * away a command fails at once instead of waiting in an offline queue that grows with every
 * request. BullMQ's docs recommend `enableOfflineQueue: false` for Queue producers.
 */
export const FAIL_FAST_REDIS = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  socketTimeout: HUNG_SOCKET_MS,
  retryStrategy: reconnectDelay,
} satisfies RedisOptions;

/**
 * For BullMQ Workers, as BullMQ requires: commands wait for the connection (maxRetriesPerRequest
 * null, offline queue on), so a worker rides out an outage and resumes by itself.
 */
export const WORKER_REDIS = {
  maxRetriesPerRequest: null,
  retryStrategy: reconnectDelay,
} satisfies RedisOptions;

/**
 * A fail-fast Redis connection (see FAIL_FAST_REDIS) unless `options` say otherwise. `REDIS_URL`
 * may carry a db index (`redis://host:6379/3`), which ioredis honours.
 */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, { ...FAIL_FAST_REDIS, enableReadyCheck: true, lazyConnect: false, ...options });
}

/**
 * `work` within `REDIS_WAIT_MS`: rejected at once while `redis` (the app's own connection, the
 * gauge of whether Redis is there) is not connected, else once the time is up. Work that outlives
 * the wait is not cancelled; its result is just not waited for.
 */
export async function withinRedisWait<T>(redis: Redis, work: () => Promise<T>, ms = REDIS_WAIT_MS): Promise<T> {
  if (redis.status !== 'ready') throw new Error(`Redis connection is ${redis.status}`);
  return withTimeout(work(), ms, `Redis did not answer within ${ms} ms`);
}
