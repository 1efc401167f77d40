import {
  Controller,
  Get,
  Inject,
  Injectable,
  Module,
  Optional,
  type DynamicModule,
  type InjectionToken,
  type ModuleMetadata,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TerminusModule,
  TypeOrmHealthIndicator,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import { Gauge } from 'prom-client';
import { metricsRegistry } from './metrics.js';
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

/** The most /health/ready and the dependency gauge wait for Postgres to answer `SELECT 1`. */
const POSTGRES_PING_MS = 1_000;

/** How often each app checks Postgres and Redis for `inbox_dependency_up`. */
export const DEPENDENCY_CHECK_INTERVAL_MS = 5_000;

/** One gauge per process, even when tests boot several apps in one. */
const dependencyUp =
  (metricsRegistry.getSingleMetric('inbox_dependency_up') as Gauge<'dependency'> | undefined) ??
  new Gauge({
    name: 'inbox_dependency_up',
    help: 'Whether the last check of a dependency (postgres: SELECT 1 within 1 s; redis: PING within 250 ms), made every 5 s, succeeded (1) or not (0)',
    labelNames: ['dependency'],
    registers: [metricsRegistry],
  });

/**
 * `inbox_dependency_up{dependency="postgres"|"redis"}`, what the Postgres and Redis unreachable
 * alerts read: the readiness probe's own checks, run every DEPENDENCY_CHECK_INTERVAL_MS from
 * start-up (and once then) until shutdown begins, one at a time.
 */
@Injectable()
export class DependencyGauge implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | undefined;
  private latest: Promise<void> = Promise.resolve();
  private checking = false;
  private stopped = false;

  /** A (re)connected Redis is reported at once, not up to 5 s later (the API starts without waiting for it). */
  private readonly onRedisReady = () => void this.check();

  constructor(
    private readonly db: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    @Inject(HEALTH_REDIS) private readonly connection: RedisClient,
  ) {}

  onApplicationBootstrap(): void {
    void this.check();
    this.timer = setInterval(() => {
      if (!this.checking) void this.check();
    }, DEPENDENCY_CHECK_INTERVAL_MS).unref();
    this.connection.on('ready', this.onRedisReady);
  }

  /** Stops before the pool and the connection close (a check then would only read 0). */
  onModuleDestroy(): void {
    this.stopped = true;
    clearInterval(this.timer);
    this.connection.off('ready', this.onRedisReady);
  }

  /** Checks both and sets the gauge, after the check in progress if there is one (so this answer stands). */
  check(): Promise<void> {
    this.latest = this.latest.then(() => this.measure());
    return this.latest;
  }

  /** Never rejects: a check that throws counts as down. */
  private async measure(): Promise<void> {
    this.checking = true;
    const up = (result: Promise<HealthIndicatorResult>, key: string) =>
      result.then(
        (r) => (r[key]?.status === 'up' ? 1 : 0),
        () => 0,
      );
    try {
      const [postgres, redis] = await Promise.all([
        up(Promise.resolve(this.db.pingCheck('postgres', { timeout: POSTGRES_PING_MS })), 'postgres'),
        up(Promise.resolve(this.redis.isHealthy('redis')), 'redis'),
      ]);
      if (this.stopped) return;
      dependencyUp.set({ dependency: 'postgres' }, postgres);
      dependencyUp.set({ dependency: 'redis' }, redis);
    } finally {
      this.checking = false;
    }
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
      () => this.db.pingCheck('postgres', { timeout: POSTGRES_PING_MS }),
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
        DependencyGauge,
        { provide: HEALTH_REDIS, useExisting: options.redis },
        { provide: HEALTH_OPTIONS, useValue: options },
        ...(worker ? [WorkerHealthIndicator, { provide: HEALTH_WORKER, useExisting: worker.token }] : []),
      ],
    };
  }
}
