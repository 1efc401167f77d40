import request from 'supertest';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DependencyGauge, MetricsServer } from '@inbox/server';
import { metricSample, startReceiver, type Receiver } from '@inbox/testing';
import { waitFor } from './support/wait.js';
import { createTestWorld, startDispatcher, type TestWorld } from './support/world.js';

describe('dispatcher health and metrics', () => {
  let world: TestWorld;
  let app: NestExpressApplication;
  let receiver: Receiver;

  beforeAll(async () => {
    world = await createTestWorld('dispatch_health');
    receiver = await startReceiver((r) => (r.path === '/down' ? 503 : 200));
    app = (await startDispatcher(world)) as NestExpressApplication;
  });

  afterAll(async () => {
    await app?.close();
    await receiver?.close();
    await world?.close();
  });

  it('is live while its worker runs, and ready when Postgres and Redis answer too', async () => {
    const live = await request(app.getHttpServer()).get('/health/live').expect(200);
    expect(live.body).toMatchObject({ status: 'ok', info: { worker: { status: 'up' } } });
    const res = await request(app.getHttpServer()).get('/health/ready').expect(200);
    expect(res.body.info).toMatchObject({ postgres: { status: 'up' }, redis: { status: 'up' }, worker: { status: 'up' } });
  });

  it('serves no customer routes', async () => {
    await request(app.getHttpServer()).get('/v1/webhooks').expect(404);
  });

  it('counts attempts by outcome, finished deliveries, durations and the queue depth', async () => {
    const account = await world.fixtures.account();
    await world.fixtures.webhook(account, `${receiver.url}/up`, { events: ['message.read'] });
    await world.fixtures.webhook(account, `${receiver.url}/down`, { events: ['message.read'] });
    const event = await world.fixtures.ingest(account, { type: 'message.read', data: {} });
    await world.enqueue(event.deliveryIds);
    await receiver.waitFor(2);

    const metrics = await waitFor('the attempts to be counted', async () => {
      const text = await (await fetch(app.get(MetricsServer).url)).text();
      return (metricSample(text, 'inbox_dispatcher_attempts_total', { outcome: 'http_5xx' }) ?? 0) >= 1 && text;
    });
    const sample = (name: string, labels: Record<string, string> = {}) => metricSample(metrics, name, { service: 'inbox-dispatcher', ...labels });
    expect(sample('inbox_dispatcher_attempts_total', { outcome: 'success' })).toBeGreaterThanOrEqual(1);
    expect(sample('inbox_dispatcher_deliveries_total', { status: 'succeeded', reason: 'delivered' })).toBeGreaterThanOrEqual(1);
    expect(sample('inbox_dispatcher_attempt_duration_seconds_count', { succeeded: 'true' })).toBeGreaterThanOrEqual(1);
    // The failed one waits for its retry in the delayed set.
    expect(sample('inbox_dispatcher_queue_jobs', { state: 'delayed' })).toBe(1);
    // Node's default metrics under their standard names, told apart by the service label.
    expect(sample('process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(metrics).not.toContain('inbox_dispatcher_process_');
    // Accepted a moment ago: both first attempts followed within seconds; the success's whole time counted too.
    expect(sample('inbox_delivery_lag_seconds_count')).toBe(2);
    expect(sample('inbox_delivery_lag_seconds_sum')).toBeGreaterThanOrEqual(0);
    expect(sample('inbox_delivery_lag_seconds_sum')).toBeLessThan(20);
    expect(sample('inbox_delivery_duration_seconds_count')).toBe(1);
    // The failed one's retry is not due yet: nothing overdue.
    expect(sample('inbox_oldest_pending_delivery_seconds')).toBe(0);
  });

  it('reports Postgres and Redis up on inbox_dependency_up', async () => {
    await app.get(DependencyGauge).check(); // as its 5 s timer does
    const text = await (await fetch(app.get(MetricsServer).url)).text();
    expect(metricSample(text, 'inbox_dependency_up', { service: 'inbox-dispatcher', dependency: 'postgres' })).toBe(1);
    expect(metricSample(text, 'inbox_dependency_up', { service: 'inbox-dispatcher', dependency: 'redis' })).toBe(1);
  });

  it('serves /metrics on METRICS_PORT, not on its health port', async () => {
    await request(app.getHttpServer()).get('/metrics').expect(404);
  });
});
