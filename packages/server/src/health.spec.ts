import { EventEmitter } from 'node:events';
import type { HealthIndicatorResult, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { DependencyGauge, type RedisHealthIndicator } from './health.js';
import { metricsRegistry } from './metrics.js';
import type { RedisClient } from './redis.js';

type Answer = 'up' | 'down' | 'throws';

/** A gauge over stub indicators answering what `answers` says when asked, after `delayMs(answer)`. */
function gaugeWith(answers: { postgres: Answer; redis: Answer }, delayMs: (answer: Answer) => number = () => 0) {
  const result = (key: 'postgres' | 'redis'): Promise<HealthIndicatorResult> => {
    const answer = answers[key];
    return new Promise((resolve, reject) =>
      setTimeout(() => (answer === 'throws' ? reject(new Error('boom')) : resolve({ [key]: { status: answer } })), delayMs(answer)),
    );
  };
  const db = { pingCheck: () => result('postgres') } as unknown as TypeOrmHealthIndicator;
  let redisChecks = 0;
  const redis = {
    isHealthy: () => {
      redisChecks += 1;
      return result('redis');
    },
  } as unknown as RedisHealthIndicator;
  const redisConnection = new EventEmitter();
  return Object.assign(new DependencyGauge(db, redis, redisConnection as unknown as RedisClient), { redisConnection, redisChecks: () => redisChecks });
}

async function dependencyUp(): Promise<Record<string, number>> {
  const metric = await metricsRegistry.getSingleMetric('inbox_dependency_up')!.get();
  return Object.fromEntries(metric.values.map((v) => [String(v.labels.dependency), v.value]));
}

const activeTimers = () => process.getActiveResourcesInfo().filter((type) => type === 'Timeout').length;

describe('DependencyGauge (inbox_dependency_up)', () => {
  it('sets 1 for a dependency whose check is up, 0 for one down or whose check throws', async () => {
    const answers: { postgres: Answer; redis: Answer } = { postgres: 'up', redis: 'down' };
    const gauge = gaugeWith(answers);
    await gauge.check();
    expect(await dependencyUp()).toEqual({ postgres: 1, redis: 0 });
    Object.assign(answers, { postgres: 'throws', redis: 'up' });
    await gauge.check();
    expect(await dependencyUp()).toEqual({ postgres: 0, redis: 1 });
  });

  it('runs a check asked for during another after it, so the later answer stands', async () => {
    const answers: { postgres: Answer; redis: Answer } = { postgres: 'up', redis: 'up' };
    // A slow "up" and a quick "down": run side by side, the stale "up" would land last.
    const gauge = gaugeWith(answers, (answer) => (answer === 'up' ? 40 : 5));
    const first = gauge.check();
    await new Promise((resolve) => setImmediate(resolve)); // the first check has asked
    answers.postgres = 'down';
    await Promise.all([first, gauge.check()]);
    expect(await dependencyUp()).toEqual({ postgres: 0, redis: 1 });
  });

  it('checks at start-up, when Redis gets ready, and on a timer that holds no process open; sets nothing once shutdown begins', async () => {
    const answers: { postgres: Answer; redis: Answer } = { postgres: 'down', redis: 'down' };
    const gauge = gaugeWith(answers);
    const timersBefore = activeTimers();
    gauge.onApplicationBootstrap();
    expect(activeTimers()).toBe(timersBefore); // the interval is unref'd
    await gauge.check(); // after the start-up check
    expect(await dependencyUp()).toEqual({ postgres: 0, redis: 0 });
    expect(gauge.redisChecks()).toBe(2);
    answers.redis = 'up';
    gauge.redisConnection.emit('ready'); // Redis (re)connected: checked at once, not at the next tick
    await gauge.check();
    expect(gauge.redisChecks()).toBe(4);
    expect(await dependencyUp()).toEqual({ postgres: 0, redis: 1 });
    answers.postgres = 'up';
    const late = gauge.check();
    gauge.onModuleDestroy();
    await late;
    expect(await dependencyUp()).toEqual({ postgres: 0, redis: 1 });
    expect(gauge.redisConnection.listenerCount('ready')).toBe(0);
  });
});
