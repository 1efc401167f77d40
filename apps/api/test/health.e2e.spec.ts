import request from 'supertest';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DependencyGauge, loadApiConfig, MetricsServer } from '@inbox/server';
import { createTestDatabase, createTestRedisPrefix, metricSample, testEnv } from '@inbox/testing';
import { createApiApp } from '../src/bootstrap.js';

describe('API health (real Postgres and Redis)', () => {
  let app: NestFastifyApplication;
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    const db = await createTestDatabase('api_health');
    const redis = createTestRedisPrefix('api_health');
    cleanups.push(db.drop, redis.cleanup);
    app = await createApiApp(loadApiConfig(testEnv({ DATABASE_URL: db.url, REDIS_URL: redis.url, INBOX_QUEUE_PREFIX: redis.prefix })));
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    await app?.close();
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('is live', async () => {
    await request(app.getHttpServer()).get('/health/live').expect(200, { status: 'ok' });
  });

  it('is ready when Postgres and Redis answer', async () => {
    const res = await request(app.getHttpServer()).get('/health/ready').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.info).toMatchObject({ postgres: { status: 'up' }, redis: { status: 'up' } });
  });

  it('serves Prometheus metrics on METRICS_PORT only: request durations by route pattern, default metrics unprefixed, a service label', async () => {
    await request(app.getHttpServer()).get('/metrics').expect(404);
    await request(app.getHttpServer()).get('/v1/webhooks/wh_not_a_label').expect(401);
    const res = await fetch(app.get(MetricsServer).url);
    expect(res.status).toBe(200);
    const text = await res.text();
    const sample = (name: string, labels: Record<string, string>) => metricSample(text, name, { service: 'inbox-api', ...labels });
    const count = 'inbox_api_request_duration_seconds_count';
    expect(sample(count, { route: '/health/live', method: 'GET', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(sample(count, { route: '/v1/webhooks/:id', method: 'GET', status: '401' })).toBe(1);
    expect(sample(count, { route: 'unmatched', method: 'GET', status: '404' })).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain('wh_not_a_label');
    expect(sample('process_cpu_seconds_total', {})).toBeGreaterThan(0);
    expect(text).not.toContain('inbox_api_process_');
  });

  it('reports Postgres and Redis up on inbox_dependency_up', async () => {
    await app.get(DependencyGauge).check(); // as its 5 s timer does
    const text = await (await fetch(app.get(MetricsServer).url)).text();
    expect(metricSample(text, 'inbox_dependency_up', { service: 'inbox-api', dependency: 'postgres' })).toBe(1);
    expect(metricSample(text, 'inbox_dependency_up', { service: 'inbox-api', dependency: 'redis' })).toBe(1);
  });
});
