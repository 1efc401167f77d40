import request from 'supertest';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadApiConfig } from '@inbox/server';
import { createTestDatabase, createTestRedisPrefix, testEnv } from '@inbox/testing';
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

  it('serves Prometheus metrics', async () => {
    const res = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(res.text).toContain('inbox_api_process_cpu_seconds_total');
  });
});
