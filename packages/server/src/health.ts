import { Controller, Get, Inject, Injectable, Module, type DynamicModule } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TerminusModule, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { withTimeout } from './timeout.js';

/** Token for the Redis connection the readiness check pings. */
export const HEALTH_REDIS = Symbol('HEALTH_REDIS');

@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(HEALTH_REDIS) private readonly redis: Redis,
  ) {}

  async isHealthy(key = 'redis') {
    const indicator = this.indicators.check(key);
    try {
      const pong = await withTimeout(this.redis.ping(), 1000, 'timeout after 1s');
      return pong === 'PONG' ? indicator.up() : indicator.down({ message: `unexpected reply ${pong}` });
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}

/** /health/live: the process answers. /health/ready: Postgres and Redis answer too. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
  ) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.db.pingCheck('postgres', { timeout: 1000 }), () => this.redis.isHealthy()]);
  }
}

@Module({})
export class HealthModule {
  /** `redisProvider` supplies the connection to ping (the app's own). */
  static forRoot(redisToken: string | symbol): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers: [RedisHealthIndicator, { provide: HEALTH_REDIS, useExisting: redisToken }],
    };
  }
}
