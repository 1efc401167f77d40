import 'reflect-metadata';
import { Controller, Module, Post, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';
import { generateSecret } from '@inbox/signing';
import type { WebhookEvent } from '../src/index.js';
import { InboxEvent, InboxWebhook, InboxWebhookModule } from '../src/nestjs/index.js';
import { signedDelivery } from './support/fixtures.js';
import { captureConsole, refusedDeliveries, unknownTypeDelivery, type Delivery } from './support/receiver-cases.js';

const secret = generateSecret();
process.env.INBOX_WEBHOOK_SECRET = secret;
// The README's example, imported as written.
const { AppModule, bootstrap } = await import('../examples/nestjs.js');
const store = await import('../examples/store.js');

function post(app: INestApplication, delivery: Delivery) {
  return request(app.getHttpServer()).post('/webhooks/inbox').set(delivery.headers).send(delivery.body);
}

describe('README example: NestJS guard + @InboxEvent()', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await NestFactory.create(AppModule, { rawBody: true, logger: false });
    await app.init();
  });
  afterAll(() => app.close());

  it('verifies req.rawBody, hands the typed event to the route and answers 200 (not 201)', async () => {
    const res = await post(app, signedDelivery({ secret, type: 'message.action' }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true });
    expect(store.messages.get('msg_1234567890')).toEqual({ status: 'action: confirm', at: '2025-01-15T10:26:00Z' });
  });

  it('processes a redelivery of the same event once', async () => {
    const before = store.history.length;
    await post(app, signedDelivery({ secret, type: 'message.read', attempt: 1 })).expect(200);
    await post(app, signedDelivery({ secret, type: 'message.read', attempt: 2 })).expect(200);
    expect(store.history.slice(before)).toEqual(['msg_1234567890 read']);
  });

  it.each(refusedDeliveries(secret))('refuses %s with 401 {"error": {code, message}}', async (_what, make, code) => {
    const res = await post(app, make());
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code, message: expect.any(String) } });
  });

  it('acknowledges an authentic event of an unknown type without calling the route', async () => {
    const before = store.history.length;
    await captureConsole('warn', async () => {
      const res = await post(app, unknownTypeDelivery(secret));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ received: true, handled: false });
    });
    expect(store.history.length).toBe(before);
  });

  it('the example bootstrap listens with rawBody on', async () => {
    const listening = await bootstrap(0);
    try {
      const url = await listening.getUrl();
      const delivery = signedDelivery({ secret, type: 'message.read' });
      const res = await fetch(`${url.replace('[::1]', '127.0.0.1')}/webhooks/inbox`, {
        method: 'POST',
        headers: delivery.headers,
        body: delivery.body,
      });
      expect(res.status).toBe(200);
    } finally {
      await listening.close();
    }
  });
});

describe('InboxWebhookModule.forRoot', () => {
  const oldSecret = generateSecret();
  const unknownSeen: unknown[] = [];

  @Controller()
  class HookController {
    @Post('hook')
    @InboxWebhook()
    receive(@InboxEvent() event: WebhookEvent) {
      return { id: event.id, type: event.type };
    }
  }

  @Module({
    imports: [
      InboxWebhookModule.forRoot({ secret: [oldSecret, secret], onUnknown: (u) => void unknownSeen.push(u.payload) }),
    ],
    controllers: [HookController],
  })
  class HookModule {}

  async function start(rawBody: boolean) {
    const app = await NestFactory.create(HookModule, { rawBody, logger: false });
    await app.init();
    return app;
  }

  it('accepts any of the rotation secrets and reports unknown events to onUnknown', async () => {
    const app = await start(true);
    try {
      const delivery = signedDelivery({ secret: oldSecret, type: 'message.failed' });
      const res = await request(app.getHttpServer()).post('/hook').set(delivery.headers).send(delivery.body);
      expect(res.body).toEqual({ id: 'evt_1234567892', type: 'message.failed' });
      const unknown = unknownTypeDelivery(secret, 'evt_new');
      await request(app.getHttpServer()).post('/hook').set(unknown.headers).send(unknown.body).expect(200);
      expect(unknownSeen).toEqual([JSON.parse(unknown.body)]);
    } finally {
      await app.close();
    }
  });

  it('an app created without rawBody: true answers 500 (a setup mistake, retried), never 2xx', async () => {
    const app = await start(false);
    try {
      const delivery = signedDelivery({ secret });
      const res = await request(app.getHttpServer()).post('/hook').set(delivery.headers).send(delivery.body);
      expect(res.status).toBe(500);
    } finally {
      await app.close();
    }
  });
});
