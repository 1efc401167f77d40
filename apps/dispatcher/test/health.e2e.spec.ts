import request from 'supertest';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { startReceiver, type Receiver } from '@inbox/testing';
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
      const text = (await request(app.getHttpServer()).get('/metrics').expect(200)).text;
      return /inbox_dispatcher_attempts_total\{outcome="http_5xx"\} [1-9]/.test(text) && text;
    });
    expect(metrics).toMatch(/inbox_dispatcher_attempts_total\{outcome="success"\} [1-9]/);
    expect(metrics).toMatch(/inbox_dispatcher_deliveries_total\{status="succeeded",reason="delivered"\} [1-9]/);
    expect(metrics).toMatch(/inbox_dispatcher_attempt_duration_seconds_count\{succeeded="true"\} [1-9]/);
    // The failed one waits for its retry in the delayed set.
    expect(metrics).toMatch(/inbox_dispatcher_queue_jobs\{state="delayed"\} 1/);
    expect(metrics).toContain('inbox_dispatcher_process_cpu_seconds_total');
  });
});
