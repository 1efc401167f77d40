import { BullModule } from '@nestjs/bullmq';
import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { SharedConfig } from './config.js';
import { queuePrefix } from './queue.js';
import { createRedis } from './redis.js';

/** The app's own Redis connection (rate limits, health, reconcile locks). BullMQ opens its own. */
export const REDIS = Symbol('REDIS');

@Global()
@Module({})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  static forRoot(config: Pick<SharedConfig, 'redisUrl' | 'queuePrefix'>): DynamicModule {
    return {
      module: RedisModule,
      imports: [
        BullModule.forRoot({
          connection: { url: config.redisUrl, maxRetriesPerRequest: null },
          prefix: queuePrefix(config),
        }),
      ],
      providers: [{ provide: REDIS, useFactory: () => createRedis(config.redisUrl) }],
      exports: [REDIS, BullModule],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
