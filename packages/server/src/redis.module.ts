import { BullModule } from '@nestjs/bullmq';
import { Global, Inject, Logger, Module, type DynamicModule, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { SharedConfig } from './config.js';
import { FairShare } from './fair-share.js';
import { queuePrefix } from './queue.js';
import { createRedisClient, FAIL_FAST_REDIS, WORKER_REDIS, type RedisClient, type RedisConfig } from './redis.js';
import { ThrottledWarning } from './throttled-warning.js';

/** The app's own Redis connection (rate limits, health, reconcile locks). BullMQ opens its own. */
export const REDIS = Symbol('REDIS');

/**
 * What the app's BullMQ queues do: only add jobs (the API: its connections fail fast while Redis
 * is away), or run a Worker too (the dispatcher: its connections wait for Redis, as BullMQ requires).
 */
export type QueueRole = 'producer' | 'worker';

/** The connection an app's BullMQ queues share (workers duplicate it), once BullMQ asked for it. */
interface QueueConnection {
  client?: RedisClient;
}
const QUEUE_CONNECTION = Symbol('QUEUE_CONNECTION');

/** How long start-up gives Redis to connect before the app runs without it (it connects later). */
const STARTUP_WAIT_MS = 2_000;

/** The app's own fail-fast connection, its errors logged sparingly. */
function connectRedis(config: RedisConfig, logger: Logger): RedisClient {
  const redis = createRedisClient(config);
  // ioredis reports every failed reconnect; without a listener it would print each one.
  const unreachable = new ThrottledWarning((m) => logger.warn(m));
  redis.on('error', (error: Error) => unreachable.warn(`Redis unreachable, reconnecting: ${error.message}`));
  return redis;
}

/** Resolves true once `redis` is ready, or false after `ms`. */
function readyWithin(redis: RedisClient, ms: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      redis.removeListener('ready', onReady);
      resolve(false);
    }, ms);
    redis.once('ready', onReady);
  });
}

@Global()
@Module({})
export class RedisModule implements OnModuleInit, OnApplicationShutdown {
  private static readonly logger = new Logger('Redis');

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(QUEUE_CONNECTION) private readonly queueConnection: QueueConnection,
  ) {}

  static forRoot(config: RedisConfig & Pick<SharedConfig, 'queuePrefix'>, role: QueueRole): DynamicModule {
    const queueConnection: QueueConnection = {};
    return {
      module: RedisModule,
      imports: [
        // An ioredis client rather than options: BullMQ needs one for a Cluster, and this way every
        // mode connects alike. Queues share it (it is closed here); workers use duplicates they close.
        BullModule.forRootAsync({
          useFactory: () => {
            const connection = createRedisClient(config, role === 'producer' ? FAIL_FAST_REDIS : WORKER_REDIS);
            queueConnection.client = connection;
            return { connection, prefix: queuePrefix(config) };
          },
        }),
      ],
      providers: [
        { provide: REDIS, useFactory: () => connectRedis(config, RedisModule.logger) },
        { provide: QUEUE_CONNECTION, useValue: queueConnection },
        { provide: FairShare, useFactory: (redis: RedisClient) => new FairShare(redis, queuePrefix(config)), inject: [REDIS] },
      ],
      exports: [REDIS, FairShare, BullModule],
    };
  }

  /**
   * Gives Redis a moment to connect, so the first requests find it; never longer: the app runs
   * without Redis and picks it up when it comes.
   */
  async onModuleInit(): Promise<void> {
    if (!(await readyWithin(this.redis, STARTUP_WAIT_MS))) {
      RedisModule.logger.warn(`Redis not reachable within ${STARTUP_WAIT_MS} ms of start-up: running without it until it is`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const queueConnection = this.queueConnection.client;
    this.queueConnection.client = undefined;
    await Promise.all([this.redis, queueConnection].map((redis) => redis?.quit().catch(() => redis.disconnect())));
  }
}
