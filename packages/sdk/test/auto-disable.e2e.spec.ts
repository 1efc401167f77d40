import { createServer } from 'node:http';
import express from 'express';
import { startReceiver, type Receiver } from '@inbox/testing';
import { constructEvent, createHandler, Inbox, type WebhookDisabledEvent, type WebhookWithSecret } from '../src/index.js';
import { inboxWebhook } from '../src/express/index.js';
import { createDispatcherApp, eventually, startPlatform, type Platform } from './support/platform.js';
import { listen } from './support/servers.js';

const describeWithApps = createDispatcherApp ? describe : describe.skip;

// The platform disables a webhook that answers 410 Gone and tells the account's other webhooks
// subscribed to `webhook.disabled`: receivers verify and type that event with @inbox/sdk.
describeWithApps('webhook.disabled round trip: the real API and dispatcher → receivers verifying with @inbox/sdk', () => {
  let platform: Platform;
  let inbox: Inbox;
  let receiver: Receiver;
  let closeExpress: () => Promise<void>;
  let gone: WebhookWithSecret;
  let raw: WebhookWithSecret;
  const handled: WebhookDisabledEvent[] = [];

  beforeAll(async () => {
    platform = await startPlatform('sdk_auto_disable', { dispatcher: true });
    const account = await platform.createAccount();
    inbox = new Inbox(account.apiKey, { baseUrl: platform.baseUrl });
    receiver = await startReceiver((request) => (request.path === '/gone' ? { status: 410, body: 'Gone' } : 200));

    gone = await inbox.webhooks.create({ url: `${receiver.url}/gone`, events: ['message.read'] });
    raw = await inbox.webhooks.create({ url: `${receiver.url}/ops`, events: ['webhook.disabled'] });
    const ops = await inbox.webhooks.create({ url: 'http://127.0.0.1:9/placeholder', events: ['webhook.disabled'] });
    const app = express();
    app.post('/webhooks/inbox', inboxWebhook({ secret: ops.secret, handler: createHandler({ 'webhook.disabled': (event) => void handled.push(event) }) }));
    const server = await listen(createServer(app));
    closeExpress = server.close;
    await inbox.webhooks.update(ops.id, { url: `${server.url}/webhooks/inbox`, events: ops.events });
  });

  afterAll(async () => {
    await closeExpress?.();
    await receiver?.close();
    await platform?.close();
  });

  it('disables a webhook that answers 410 and sends a signed, typed webhook.disabled to the other subscribed webhooks', async () => {
    await inbox.webhooks.test(gone.id, 'message.read');
    const disabled = await eventually(async () => {
      const webhook = await inbox.webhooks.get(gone.id);
      return webhook.status === 'disabled' ? webhook : undefined;
    });
    expect(disabled).toMatchObject({ disabled_reason: 'gone', disabled_at: expect.any(String) });

    const [request] = await receiver.waitFor(1, { filter: (r) => r.path === '/ops', timeoutMs: 15_000 });
    const event = constructEvent(request!.body, request!.headers, raw.secret);
    if (event.type !== 'webhook.disabled') throw new Error(`expected webhook.disabled, got ${event.type}`);
    expect(event.data).toEqual({ webhook_id: gone.id, url: `${receiver.url}/gone`, reason: 'gone', disabled_at: disabled.disabled_at });

    const [viaExpress] = await eventually(async () => (handled.length > 0 ? handled : undefined));
    expect(viaExpress).toEqual(event);

    // The disabled webhook's delivery ended with a webhook_disabled attempt, as its log shows.
    const log = await eventually(async () => {
      const page = await inbox.webhooks.logs(gone.id).page();
      return page.data.length >= 2 ? page.data : undefined;
    });
    expect(log.map((a) => [a.attempt, a.status_code, a.error, a.delivery_status])).toEqual([
      [2, null, 'webhook_disabled', 'failed'],
      [1, 410, null, 'failed'],
    ]);
    expect(receiver.requests.filter((r) => r.path === '/gone')).toHaveLength(1);

    // Enabled again: the reason goes.
    const enabled = await inbox.webhooks.update(gone.id, { url: gone.url, events: gone.events, status: 'enabled' });
    expect(enabled).toMatchObject({ status: 'enabled', disabled_reason: null, disabled_at: null });
  });
});
