import 'reflect-metadata';
import { createServer } from 'node:http';
import { Controller, Module, Post, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import express from 'express';
import { EVENT_TYPES, exampleEvents, MESSAGE_EVENT_TYPES, type EventType } from '@inbox/events';
import { generateSecret } from '@inbox/signing';
import { startReceiver, type ReceivedRequest, type Receiver } from '@inbox/testing';
import {
  constructEvent,
  createHandler,
  Inbox,
  WebhookVerificationError,
  type WebhookEvent,
  type WebhookWithSecret,
} from '../src/index.js';
import { inboxWebhook } from '../src/express/index.js';
import { InboxEvent, InboxWebhook, InboxWebhookModule } from '../src/nestjs/index.js';
import { inboxWebhookRoute } from '../src/web/index.js';
import { createDispatcherApp, eventually, startPlatform, type Platform } from './support/platform.js';
import { listen, serveFetchHandler } from './support/servers.js';

// Events sent through the real pipeline — ingest on the API, the dispatcher's signed POSTs — to
// receivers that verify them with each of the SDK's entry points.
const describeWithApps = createDispatcherApp ? describe : describe.skip;

/** A handler map that records every event it gets, by receiver. */
function recorder() {
  const events: WebhookEvent[] = [];
  const record = (event: WebhookEvent) => void events.push(event);
  const handler = createHandler(Object.fromEntries(EVENT_TYPES.map((type) => [type, record])));
  return { events, handler };
}

describeWithApps('round trip: the real dispatcher → receivers verifying with @inbox/sdk', () => {
  let platform: Platform;
  let inbox: Inbox;
  let accountId: string;
  let raw: Receiver;
  const closers: Array<() => Promise<unknown>> = [];
  const hooks: Record<'raw' | 'express' | 'nest' | 'web', WebhookWithSecret> = {} as never;
  const received = { express: recorder(), nest: recorder(), web: recorder() };

  /** Registers a webhook for every event type; the receiver is pointed at it once it knows the secret. */
  const register = () => inbox.webhooks.create({ url: 'http://127.0.0.1:9/placeholder', events: [...EVENT_TYPES] });
  const pointAt = (hook: WebhookWithSecret, url: string) =>
    inbox.webhooks.update(hook.id, { url, events: hook.events });

  async function startNest(secret: string): Promise<INestApplication> {
    const events = received.nest.events;
    @Controller()
    class NestReceiver {
      @Post('webhooks/inbox')
      @InboxWebhook()
      receive(@InboxEvent() event: WebhookEvent) {
        events.push(event);
        return { received: true };
      }
    }
    @Module({ imports: [InboxWebhookModule.forRoot({ secret })], controllers: [NestReceiver] })
    class NestReceiverModule {}
    const app = await NestFactory.create(NestReceiverModule, { rawBody: true, logger: false });
    await app.listen(0, '127.0.0.1');
    return app;
  }

  async function emit(type: EventType): Promise<string> {
    const res = await fetch(`${platform.baseUrl}/internal/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${platform.config.internalToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ account_id: accountId, type, data: exampleEvents[type].data }),
    });
    expect(res.status).toBe(202);
    return ((await res.json()) as { id: string }).id;
  }

  beforeAll(async () => {
    platform = await startPlatform('sdk_roundtrip', { dispatcher: true });
    const account = await platform.createAccount();
    accountId = account.id;
    inbox = new Inbox(account.apiKey, { baseUrl: platform.baseUrl });

    // 1. A bare receiver that records the raw requests; the test verifies them with constructEvent.
    raw = await startReceiver();
    closers.push(() => raw.close());
    hooks.raw = await register();
    await pointAt(hooks.raw, `${raw.url}/webhooks/inbox`);

    // 2. Express with inboxWebhook() and a handler map.
    hooks.express = await register();
    const app = express();
    app.post('/webhooks/inbox', inboxWebhook({ secret: hooks.express.secret, handler: received.express.handler }));
    const expressServer = await listen(createServer(app));
    closers.push(expressServer.close);
    await pointAt(hooks.express, `${expressServer.url}/webhooks/inbox`);

    // 3. NestJS with rawBody, the guard and @InboxEvent().
    hooks.nest = await register();
    const nest = await startNest(hooks.nest.secret);
    closers.push(() => nest.close());
    await pointAt(hooks.nest, `${(await nest.getUrl()).replace('[::1]', '127.0.0.1')}/webhooks/inbox`);

    // 4. A Web-standard route (Web Crypto), as in a Next.js route handler.
    hooks.web = await register();
    const web = await serveFetchHandler(inboxWebhookRoute({ secret: hooks.web.secret, handler: received.web.handler }));
    closers.push(web.close);
    await pointAt(hooks.web, `${web.url}/webhooks/inbox`);
  });

  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    await platform?.close();
  });

  const ids: Partial<Record<EventType, string>> = {};

  it('delivers one event of each type to every receiver, each verifying and typing it', async () => {
    for (const type of MESSAGE_EVENT_TYPES) ids[type] = await emit(type);

    const requests = await raw.waitFor(MESSAGE_EVENT_TYPES.length, { timeoutMs: 15_000 });
    const verified = requests.map((r) => constructEvent(r.body, r.headers, hooks.raw.secret));
    expect(verified.map((e) => e.type).sort()).toEqual([...MESSAGE_EVENT_TYPES].sort());
    for (const event of verified)
      expect(event).toEqual({ ...exampleEvents[event.type], id: ids[event.type], created_at: expect.any(String) });

    for (const name of ['express', 'nest', 'web'] as const) {
      const events = await eventually(
        async () => (received[name].events.length >= MESSAGE_EVENT_TYPES.length ? received[name].events : undefined),
        15_000,
        `${name}'s events`,
      );
      expect(new Set(events.map((e) => e.id))).toEqual(new Set(Object.values(ids)));
      const read = events.find((e) => e.type === 'message.read');
      if (read?.type !== 'message.read') throw new Error('no message.read');
      expect(read.data.read_at).toBe(exampleEvents['message.read'].data.read_at);
    }
  });

  it('every receiver answered 200, as the delivery logs show', async () => {
    for (const hook of Object.values(hooks)) {
      const attempts = await eventually(
        async () => {
          const page = await inbox.webhooks.logs(hook.id).page();
          return page.data.length >= MESSAGE_EVENT_TYPES.length ? page.data : undefined;
        },
        15_000,
        'the attempts of every delivery',
      );
      expect(attempts.map((a) => [a.status_code, a.succeeded, a.attempt])).toEqual(
        MESSAGE_EVENT_TYPES.map(() => [200, true, 1]),
      );
    }
  });

  describe('a real delivery, altered, fails with its own code', () => {
    let delivered: ReceivedRequest;
    beforeAll(() => {
      delivered = raw.requests[0]!;
    });

    const code = (body: Buffer | string, headers: Record<string, unknown>, secret = hooks.raw.secret, options = {}) => {
      try {
        constructEvent(body, headers as Record<string, string>, secret, options);
      } catch (error) {
        if (error instanceof WebhookVerificationError) return error.code;
        throw error;
      }
      return 'accepted';
    };

    it('as delivered: accepted', () => expect(code(delivered.body, delivered.headers)).toBe('accepted'));
    it('tampered body: invalid_signature', () =>
      expect(code(Buffer.from(delivered.body.toString().replace('msg_', 'msg_x')), delivered.headers)).toBe(
        'invalid_signature',
      ));
    it('wrong secret: invalid_signature', () =>
      expect(code(delivered.body, delivered.headers, generateSecret())).toBe('invalid_signature'));
    it('replayed 10 minutes later: timestamp_too_old', () =>
      expect(code(delivered.body, delivered.headers, hooks.raw.secret, { now: () => Date.now() + 600_000 })).toBe(
        'timestamp_too_old',
      ));
    it('receiver clock 10 minutes behind: timestamp_too_new', () =>
      expect(code(delivered.body, delivered.headers, hooks.raw.secret, { now: () => Date.now() - 600_000 })).toBe(
        'timestamp_too_new',
      ));
    it('signature headers stripped: missing_header', () => {
      const { 'webhook-signature': _a, 'x-inbox-signature': _b, ...rest } = delivered.headers;
      expect(code(delivered.body, rest)).toBe('missing_header');
    });
    it('only X-Inbox-Signature left: accepted (the docs’ scheme), unless requireTimestamp', () => {
      const { 'webhook-signature': _a, ...rest } = delivered.headers;
      expect(code(delivered.body, rest)).toBe('accepted');
      expect(code(delivered.body, rest, hooks.raw.secret, { requireTimestamp: true })).toBe('missing_header');
    });
  });

  it('a retry after a failure carries the same bytes and event id (receivers deduplicate on it)', async () => {
    const before = raw.requests.length;
    raw.enqueue(500); // the next request fails; the dispatcher retries after 1 s (testEnv)
    const id = await emit('message.failed');
    const attempts = await raw.waitFor(before + 2, { timeoutMs: 15_000 });
    const [first, second] = attempts.slice(before).filter((r) => r.headers['x-inbox-event-id'] === id);
    expect(first && second).toBeTruthy();
    expect(second!.body.equals(first!.body)).toBe(true);
    expect([first!.headers['x-inbox-delivery-attempt'], second!.headers['x-inbox-delivery-attempt']]).toEqual([
      '1',
      '2',
    ]);
    expect(constructEvent(first!.body, first!.headers, hooks.raw.secret).id).toBe(id);
    expect(constructEvent(second!.body, second!.headers, hooks.raw.secret).id).toBe(id);
    expect(second!.headers['webhook-id']).toBe(id);
  });

  it('a receiver with the wrong secret answers 401 with its code, which the logs show, and Inbox retries', async () => {
    const hook = await register();
    const app = express();
    app.post('/webhooks/inbox', inboxWebhook({ secret: generateSecret(), handler: createHandler() }));
    const server = await listen(createServer(app));
    closers.push(server.close);
    await inbox.webhooks.update(hook.id, { url: `${server.url}/webhooks/inbox`, events: ['message.delivered'] });
    await emit('message.delivered');
    const attempts = await eventually(
      async () => {
        const page = await inbox.webhooks.logs(hook.id).page();
        return page.data.length >= 2 ? page.data : undefined;
      },
      15_000,
      'two refused attempts',
    );
    for (const attempt of attempts) {
      expect(attempt).toMatchObject({ status_code: 401, succeeded: false });
      expect(JSON.parse(attempt.response_body ?? '{}')).toEqual({
        error: { code: 'invalid_signature', message: expect.any(String) },
      });
    }
  });
});
