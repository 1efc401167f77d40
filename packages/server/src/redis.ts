import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { SharedConfig } from './config.js';
import { withTimeout } from './timeout.js';

/** A connection to whichever Redis the config names: one server or Sentinel's master (`Redis`), or a Cluster. */
export type RedisClient = Redis | Cluster;

/** The settings that say which Redis to use and how to reach it. */
export type RedisConfig = Pick<
  SharedConfig,
  'redisUrl' | 'redisClusterNodes' | 'redisSentinels' | 'redisSentinelMaster' | 'redisSentinelPassword' | 'redisPassword' | 'redisTls'
>;

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
 * Every Redis connection of the apps, from the config: to `REDIS_URL`'s server, to the master
 * Sentinel names (`REDIS_SENTINELS` + `REDIS_SENTINEL_MASTER`; ioredis follows a failover), or to
 * a Redis Cluster (`REDIS_CLUSTER_NODES`, any of its nodes: the rest are discovered).
 * `REDIS_PASSWORD` and `REDIS_TLS` apply to the Redis servers in every mode; the sentinels take TLS
 * too, and `REDIS_SENTINEL_PASSWORD` when they require one of their own. `profile` is
 * FAIL_FAST_REDIS (the default) or WORKER_REDIS, kept in every mode: on a Cluster the offline queue
 * (and `lazyConnect`) are the cluster's own options, the rest apply to each node's connection.
 */
export function createRedisClient(config: RedisConfig, profile: RedisOptions = FAIL_FAST_REDIS): RedisClient {
  const auth: RedisOptions = {
    ...(config.redisPassword !== undefined && { password: config.redisPassword }),
    ...(config.redisTls && { tls: {} }),
  };
  if (config.redisClusterNodes) {
    const { enableOfflineQueue = true, lazyConnect = false, ...nodeOptions } = profile;
    return new Cluster(config.redisClusterNodes, {
      redisOptions: { ...nodeOptions, ...auth },
      enableOfflineQueue,
      lazyConnect,
      enableReadyCheck: true,
      clusterRetryStrategy: reconnectDelay,
      // TLS certificates name the cluster's hosts, not the IPs CLUSTER SLOTS answers with.
      ...(config.redisTls && { dnsLookup: (address: string, callback: (error: null, address: string) => void) => callback(null, address) }),
    });
  }
  if (config.redisSentinels) {
    return new Redis({
      ...profile,
      ...auth,
      enableReadyCheck: true,
      sentinels: config.redisSentinels,
      name: config.redisSentinelMaster,
      // A master demoted by a failover answers writes with READONLY: ask the sentinels again.
      reconnectOnError: (error) => error.message.startsWith('READONLY'),
      ...(config.redisSentinelPassword !== undefined && { sentinelPassword: config.redisSentinelPassword }),
      ...(config.redisTls && { enableTLSForSentinelMode: true, sentinelTLS: {} }),
    });
  }
  return createRedis(config.redisUrl, { ...profile, ...auth });
}

/**
 * `work` within `REDIS_WAIT_MS`: rejected at once while `redis` (the app's own connection, the
 * gauge of whether Redis is there) is not connected, else once the time is up. Work that outlives
 * the wait is not cancelled; its result is just not waited for.
 */
export async function withinRedisWait<T>(redis: RedisClient, work: () => Promise<T>, ms = REDIS_WAIT_MS): Promise<T> {
  if (redis.status !== 'ready') throw new Error(`Redis connection is ${redis.status}`);
  return withTimeout(work(), ms, `Redis did not answer within ${ms} ms`);
}
