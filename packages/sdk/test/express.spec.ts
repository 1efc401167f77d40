import express from 'express';
import request from 'supertest';
import { exampleEvents } from '@inbox/events';
import { generateSecret } from '@inbox/signing';
import { createHandler, RawBodyError } from '../src/index.js';
import { inboxWebhook } from '../src/express/index.js';
import { signedDelivery } from './support/fixtures.js';
import { captureConsole, refusedDeliveries, unknownTypeDelivery, type Delivery } from './support/receiver-cases.js';

const secret = generateSecret();
process.env.INBOX_WEBHOOK_SECRET = secret;
// The README's examples, imported as written (they read the secret from the environment).
const { app: exampleApp } = await import('../examples/express.js');
const { app: middlewareApp } = await import('../examples/express-middleware.js');
const store = await import('../examples/store.js');

function post(app: express.Express, delivery: Delivery) {
  return request(app).post('/webhooks/inbox').set(delivery.headers).send(delivery.body);
}

describe('README example: Express with a handler map', () => {
  it('verifies, runs the typed handler and answers 200', async () => {
    const res = await post(exampleApp, signedDelivery({ secret, type: 'message.delivered' }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true, handled: true });
    expect(store.messages.get('msg_1234567890')).toEqual({ status: 'delivered', at: '2025-01-15T10:25:03Z' });
  });

  it('processes a redelivery of the same event id once (attempt 2 carries the same id and bytes)', async () => {
    const before = store.history.length;
    await post(exampleApp, signedDelivery({ secret, type: 'message.failed', attempt: 1 })).expect(200);
    await post(exampleApp, signedDelivery({ secret, type: 'message.failed', attempt: 2 })).expect(200);
    expect(store.history.slice(before)).toEqual(['msg_1234567890 failed: recipient_unreachable']);
  });

  it('acknowledges a type it has no handler for (handled: false)', async () => {
    const res = await post(exampleApp, signedDelivery({ secret, type: 'message.action' }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true, handled: false });
  });

  it.each(refusedDeliveries(secret))('refuses %s with 401 and its code', async (_what, make, code) => {
    const res = await post(exampleApp, make());
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code, message: expect.any(String) } });
  });

  it('answers 400 invalid_json for a signed body that is not JSON', async () => {
    const res = await post(exampleApp, signedDelivery({ secret, body: '{oops' }));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_json');
  });

  it('acknowledges (200) and reports an authentic event of a type it does not know', async () => {
    const warnings = await captureConsole('warn', async () => {
      const res = await post(exampleApp, unknownTypeDelivery(secret));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ received: true, handled: false });
    });
    expect(warnings).toEqual([expect.stringContaining('id=evt_future type=message.reacted')]);
  });

  it('verifies whatever the content type says (the signature decides)', async () => {
    const delivery = signedDelivery({ secret, type: 'message.read' });
    const res = await post(exampleApp, { ...delivery, headers: { ...delivery.headers, 'content-type': 'text/plain' } });
    expect(res.status).toBe(200);
  });
});

describe('README example: Express middleware with req.inboxEvent behind a global express.json({ verify })', () => {
  it('verifies the kept raw bytes and hands the typed event to the route', async () => {
    const res = await post(middlewareApp, signedDelivery({ secret, type: 'message.read' }));
    expect(res.status).toBe(200);
    expect(res.text).toBe('OK');
    expect(store.messages.get('msg_1234567890')).toEqual({ status: 'read', at: '2025-01-15T10:25:15Z' });
  });

  it('refuses a forged request before the route runs', async () => {
    const res = await post(middlewareApp, signedDelivery({ secret: generateSecret(), type: 'message.read' }));
    expect(res.status).toBe(401);
  });
});

describe('inboxWebhook setup mistakes', () => {
  /** An app whose error handler records what reached it. */
  function appWith(setup: (app: express.Express) => void) {
    const errors: unknown[] = [];
    const app = express();
    setup(app);
    app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      errors.push(error);
      res.status((error as { status?: number }).status ?? 500).json({ message: (error as Error).message });
    });
    return { app, errors };
  }

  it('a global express.json() without verify: 500 with an error that says how to fix it', async () => {
    const { app, errors } = appWith((a) => {
      a.use(express.json());
      a.post('/webhooks/inbox', inboxWebhook({ secret }), (_req, res) => void res.send('unreachable'));
    });
    const res = await post(app, signedDelivery({ secret }));
    expect(res.status).toBe(500);
    expect(errors[0]).toBeInstanceOf(RawBodyError);
    expect(res.body.message).toMatch(/already parsed/);
    expect(res.body.message).toContain('before app.use(express.json())');
    expect(res.body.message).toContain('req.rawBody = buf');
  });

  it('a malformed secret: 500 through next(error), so it is logged and Inbox retries', async () => {
    const { app, errors } = appWith((a) => a.post('/webhooks/inbox', inboxWebhook({ secret: 'whsec_not-base64!' })));
    const res = await post(app, signedDelivery({ secret }));
    expect(res.status).toBe(500);
    expect(errors[0]).toMatchObject({ code: 'invalid_secret' });
  });

  it('a handler that throws: 500, so Inbox retries', async () => {
    const handler = createHandler({ 'message.read': () => Promise.reject(new Error('database down')) });
    const { app, errors } = appWith((a) => a.post('/webhooks/inbox', inboxWebhook({ secret, handler })));
    const res = await post(app, signedDelivery({ secret, type: 'message.read' }));
    expect(res.status).toBe(500);
    expect((errors[0] as Error).message).toBe('database down');
  });

  it('no secret at all: a TypeError when the route is set up, not on the first request', () => {
    expect(() => inboxWebhook({ secret: undefined as unknown as string })).toThrow(/secret is required/);
    expect(() => inboxWebhook({ secret: [] })).toThrow(TypeError);
  });

  it('reads at most `limit` bytes (413 past it)', async () => {
    const { app } = appWith((a) => a.post('/webhooks/inbox', inboxWebhook({ secret, limit: 100 })));
    const res = await post(
      app,
      signedDelivery({ secret, body: JSON.stringify({ ...exampleEvents['message.read'], pad: 'x'.repeat(200) }) }),
    );
    expect(res.status).toBe(413);
  });
});
