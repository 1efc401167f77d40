import { Controller, Get, Inject, Injectable, Module, Optional, type DynamicModule, type InjectionToken, type ModuleMetadata } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TerminusModule, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { withinRedisWait, type RedisClient } from './redis.js';

/** Token for the Redis connection the readiness check pings. */
export const HEALTH_REDIS = Symbol('HEALTH_REDIS');
/** Token for the app's queue worker, when it has one. */
export const HEALTH_WORKER = Symbol('HEALTH_WORKER');
const HEALTH_OPTIONS = Symbol('HEALTH_OPTIONS');

/** What the health routes ask of an app's queue worker (a BullMQ Worker answers it). */
export interface RunningWorker {
  isRunning(): boolean;
}

export interface HealthOptions {
  /** The connection to ping (the app's own). */
  redis: InjectionToken;
  /**
   * Whether Redis down fails /health/ready. If not (the API, which serves without Redis), the
   * route stays 200 and reports Redis `degraded`.
   */
  redisRequired: boolean;
  /** The app's queue worker (a provider with `isRunning()`) and the module exporting it. */
  worker?: { imports: NonNullable<ModuleMetadata['imports']>; token: InjectionToken };
}

@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(HEALTH_REDIS) private readonly redis: RedisClient,
  ) {}

  /** Up when Redis answers a PING in time; else `down`, or `degraded` when the app works without it. */
  async isHealthy(key = 'redis', required = true) {
    const indicator = this.indicators.check(key);
    let message: string;
    try {
      const pong = await withinRedisWait(this.redis, () => this.redis.ping());
      if (pong === 'PONG') return indicator.up();
      message = `unexpected reply ${pong}`;
    } catch (error) {
      message = (error as Error).message;
    }
    return required ? indicator.down({ message }) : indicator.degraded({ message });
  }
}

@Injectable()
export class WorkerHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(HEALTH_WORKER) private readonly worker: RunningWorker,
  ) {}

  /** Up while the worker's loop runs, Redis or not: it waits for Redis and resumes by itself. */
  isHealthy(key = 'worker') {
    const indicator = this.indicators.check(key);
    return this.worker.isRunning() ? indicator.up() : indicator.down({ message: 'the queue worker is not running' });
  }
}

/**
 * /health/live: the process answers, and its queue worker (if any) runs: a stopped worker needs a
 * restart. /health/ready: Postgres answers, the worker runs, and Redis answers where it is required.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    @Inject(HEALTH_OPTIONS) private readonly options: HealthOptions,
    @Optional() private readonly worker?: WorkerHealthIndicator,
  ) {}

  @Get('live')
  live() {
    const worker = this.worker;
    return worker ? this.health.check([() => worker.isHealthy()]) : { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    const worker = this.worker;
    return this.health.check([
      () => this.db.pingCheck('postgres', { timeout: 1000 }),
      () => this.redis.isHealthy('redis', this.options.redisRequired),
      ...(worker ? [() => worker.isHealthy()] : []),
    ]);
  }
}

@Module({})
export class HealthModule {
  static forRoot(options: HealthOptions): DynamicModule {
    const worker = options.worker;
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false }), ...(worker?.imports ?? [])],
      controllers: [HealthController],
      providers: [
        RedisHealthIndicator,
        { provide: HEALTH_REDIS, useExisting: options.redis },
        { provide: HEALTH_OPTIONS, useValue: options },
        ...(worker ? [WorkerHealthIndicator, { provide: HEALTH_WORKER, useExisting: worker.token }] : []),
      ],
    };
  }
}
