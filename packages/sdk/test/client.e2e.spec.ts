import { startReceiver, type Receiver } from '@inbox/testing';
import { isValidSecret } from '@inbox/signing';
import { exampleEvents } from '@inbox/events';
import {
  AuthenticationError,
  constructEvent,
  Inbox,
  NotFoundError,
  RateLimitError,
  ValidationError,
  EVENT_TYPES,
  WebhookVerificationError,
  type Webhook,
  type WebhookDisabledReason,
} from '../src/index.js';
import { createApiApp, eventually, startPlatform, type Platform } from './support/platform.js';

// The management client against the real API (and dispatcher, for test events and logs), on this
// file's own database and Redis prefix.
const describeWithApi = createApiApp ? describe : describe.skip;

describeWithApi('Inbox client against the real API', () => {
  let platform: Platform;
  let receiver: Receiver;
  let inbox: Inbox;
  let apiKey: string;

  beforeAll(async () => {
    platform = await startPlatform('sdk_client', { dispatcher: true });
    receiver = await startReceiver();
    ({ apiKey } = await platform.createAccount());
    inbox = new Inbox(apiKey, { baseUrl: platform.baseUrl, maxRetries: 0 });
  });

  afterAll(async () => {
    await receiver?.close();
    await platform?.close();
  });

  const hook = (n: number) => `${receiver.url}/hooks/${n}`;

  it('creates a webhook: 201 with its secret', async () => {
    const created = await inbox.webhooks.create({
      url: hook(0),
      events: ['message.delivered', 'message.read'],
      description: 'Production webhook endpoint',
    });
    expect(created).toEqual({
      id: expect.stringMatching(/^wh_/),
      url: hook(0),
      events: ['message.delivered', 'message.read'],
      description: 'Production webhook endpoint',
      status: 'enabled',
      disabled_reason: null,
      disabled_at: null,
      rate_limit: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
      secret: expect.any(String),
    });
    expect(isValidSecret(created.secret)).toBe(true);
    await expect(inbox.webhooks.secret(created.id)).resolves.toEqual({ secret: created.secret });
  });

  it('lists every webhook across pages with for await, newest first; page() gives one page', async () => {
    for (let n = 1; n <= 4; n++) await inbox.webhooks.create({ url: hook(n), events: ['message.failed'] });
    const seen: Webhook[] = [];
    for await (const webhook of inbox.webhooks.list({ limit: 2 })) seen.push(webhook);
    expect(seen.map((w) => w.url)).toEqual([hook(4), hook(3), hook(2), hook(1), hook(0)]);
    expect(JSON.stringify(seen)).not.toContain('whsec_');

    const first = await inbox.webhooks.list({ limit: 2 }).page();
    expect(first.data.map((w) => w.url)).toEqual([hook(4), hook(3)]);
    expect(first.next_cursor).toEqual(expect.any(String));
    const second = await inbox.webhooks.list({ limit: 2, cursor: first.next_cursor! }).page();
    expect(second.data.map((w) => w.url)).toEqual([hook(2), hook(1)]);

    let pages = 0;
    for await (const page of inbox.webhooks.list({ limit: 2 }).pages()) pages += page.data.length > 0 ? 1 : 0;
    expect(pages).toBe(3);
  });

  it('gets and updates a webhook (PUT replaces; status toggles)', async () => {
    const created = await inbox.webhooks.create({ url: hook(10), events: ['message.read'], description: 'first' });
    const { secret: _secret, ...shown } = created;
    await expect(inbox.webhooks.get(created.id)).resolves.toEqual(shown);
    const updated = await inbox.webhooks.update(created.id, {
      url: hook(11),
      events: ['message.action', 'message.failed'],
      status: 'disabled',
    });
    expect(updated).toMatchObject({
      id: created.id,
      url: hook(11),
      events: ['message.action', 'message.failed'],
      description: null,
      status: 'disabled',
    });
    await expect(inbox.webhooks.get(created.id)).resolves.toMatchObject({ status: 'disabled', url: hook(11) });
  });

  it('says why a webhook is disabled: manual when you disable it, cleared when you enable it', async () => {
    const created = await inbox.webhooks.create({ url: hook(13), events: ['message.read', 'webhook.disabled'] });
    const off = await inbox.webhooks.update(created.id, { url: hook(13), events: created.events, status: 'disabled' });
    const reason: WebhookDisabledReason | null = off.disabled_reason;
    expect([reason, typeof off.disabled_at]).toEqual(['manual', 'string']);
    const on = await inbox.webhooks.update(created.id, { url: hook(13), events: created.events, status: 'enabled' });
    expect(on).toMatchObject({ status: 'enabled', disabled_reason: null, disabled_at: null });
  });

  it('lists the event catalog: every subscribable type with its JSON Schema and an example', async () => {
    const { data } = await inbox.eventTypes.list();
    expect(data.map((entry) => entry.type)).toEqual([...EVENT_TYPES]);
    const disabled = data.find((entry) => entry.type === 'webhook.disabled')!;
    expect(disabled.example).toEqual(exampleEvents['webhook.disabled']);
    expect(disabled.schema).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', properties: { type: { const: 'webhook.disabled' } } });
    expect(disabled.description).toMatch(/410 Gone/);
  });

  it('sets, keeps and removes a rate_limit', async () => {
    const created = await inbox.webhooks.create({ url: hook(12), events: ['message.read'], rate_limit: 20 });
    expect(created.rate_limit).toBe(20);
    const kept = await inbox.webhooks.update(created.id, { url: hook(12), events: ['message.read'], description: 'kept' });
    expect(kept.rate_limit).toBe(20);
    const removed = await inbox.webhooks.update(created.id, { url: hook(12), events: ['message.read'], rate_limit: null });
    expect(removed.rate_limit).toBeNull();
    await expect(inbox.webhooks.get(created.id)).resolves.toMatchObject({ rate_limit: null });
  });

  it('sends a test event that arrives signed, shows in the logs and at events.get', async () => {
    const created = await inbox.webhooks.create({ url: hook(20), events: ['message.read'] });
    const accepted = await inbox.webhooks.test(created.id, 'message.read');
    expect(accepted).toEqual({ event_id: expect.stringMatching(/^evt_/), delivery_id: expect.stringMatching(/^dlv_/), delivery_ids: [accepted.delivery_id] });

    const [delivered] = await receiver.waitFor(1, { filter: (r) => r.path === '/hooks/20', timeoutMs: 15_000 });
    const event = constructEvent(delivered!.body, delivered!.headers, created.secret);
    expect(event).toMatchObject({ id: accepted.event_id, type: 'message.read' });

    const attempt = await eventually(
      async () => (await inbox.webhooks.logs(created.id).page()).data.find((a) => a.succeeded),
      15_000,
      'the attempt in the logs',
    );
    expect(attempt).toMatchObject({
      event_id: accepted.event_id,
      event_type: 'message.read',
      attempt: 1,
      status_code: 200,
      delivery_id: accepted.delivery_id,
      delivery_status: 'succeeded',
    });
    // Filters go through as query parameters.
    await expect(inbox.webhooks.logs(created.id, { event_type: 'message.delivered' }).toArray()).resolves.toEqual([]);
    await expect(
      inbox.webhooks.logs(created.id, { status: 'succeeded', since: new Date(Date.now() - 60_000) }).toArray(),
    ).resolves.toHaveLength(1);

    const detail = await inbox.events.get(accepted.event_id);
    expect(detail).toMatchObject({
      id: accepted.event_id,
      type: 'message.read',
      payload: { id: accepted.event_id, type: 'message.read' },
    });
    expect(detail.deliveries).toEqual([
      expect.objectContaining({ id: accepted.delivery_id, webhook_id: created.id, status: 'succeeded' }),
    ]);
  });

  it('rotates a webhook secret: deliveries verify with the new secret or the old one until the old one stops', async () => {
    const created = await inbox.webhooks.create({ url: hook(600), events: ['message.read'] });
    const delivered = async () => {
      const accepted = await inbox.webhooks.test(created.id, 'message.read');
      const isIt = (r: { path: string; headers: Record<string, unknown> }) =>
        r.path === '/hooks/600' && r.headers['webhook-id'] === accepted.event_id;
      const [request] = await receiver.waitFor(1, { filter: isIt, timeoutMs: 15_000 });
      return request!;
    };

    const rotated = await inbox.webhooks.rotateSecret(created.id, { expireInSeconds: 600 });
    expect(rotated).toEqual({
      secret: expect.stringMatching(/^whsec_/),
      previous_secret_expires_at: expect.any(String),
    });
    expect(Date.parse(rotated.previous_secret_expires_at!)).toBeGreaterThan(Date.now() + 590_000);
    await expect(inbox.webhooks.secret(created.id)).resolves.toEqual({ secret: rotated.secret });
    const during = await delivered();
    for (const secret of [rotated.secret, created.secret]) {
      expect(constructEvent(during.body, during.headers, secret)).toMatchObject({ type: 'message.read' });
    }

    const dropped = await inbox.webhooks.rotateSecret(created.id, { expireInSeconds: 0 });
    expect(dropped.previous_secret_expires_at).toBeNull();
    const after = await delivered();
    expect(constructEvent(after.body, after.headers, dropped.secret)).toMatchObject({ type: 'message.read' });
    for (const old of [rotated.secret, created.secret]) {
      expect(() => constructEvent(after.body, after.headers, old)).toThrow(WebhookVerificationError);
    }

    // No params: the default overlap, one day. A value out of range: a ValidationError naming the field.
    const byDefault = await inbox.webhooks.rotateSecret(created.id);
    expect(Date.parse(byDefault.previous_secret_expires_at!)).toBeGreaterThan(Date.now() + 86_390_000);
    await expect(inbox.webhooks.rotateSecret(created.id, { expireInSeconds: 604_801 })).rejects.toMatchObject({
      status: 422,
      details: [expect.objectContaining({ path: 'expire_in_seconds' })],
    });
    await expect(inbox.webhooks.rotateSecret('wh_01JD0Y6J6R8Z3Q4W5E6R7T8Y9U')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('deletes a webhook (204), after which it is a NotFoundError', async () => {
    const created = await inbox.webhooks.create({ url: hook(30), events: ['message.read'] });
    await expect(inbox.webhooks.delete(created.id)).resolves.toBeUndefined();
    const error = await inbox.webhooks.get(created.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, code: 'not_found' });
    await expect(inbox.webhooks.delete(created.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(inbox.webhooks.test('wh_does_not_exist', 'message.read')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('maps 401 to AuthenticationError', async () => {
    const stranger = new Inbox('inbox_sk_not_a_real_key', { baseUrl: platform.baseUrl });
    const error = await stranger.webhooks
      .list()
      .page()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it('maps 422 and 400 to ValidationError with the API’s details', async () => {
    const invalid = await inbox.webhooks.create({ url: 'not a url', events: [] }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(ValidationError);
    expect(invalid).toMatchObject({
      status: 422,
      details: expect.arrayContaining([expect.objectContaining({ path: 'events' })]),
    });

    const badLimit = await inbox.webhooks
      .list({ limit: 0 })
      .page()
      .catch((e: unknown) => e);
    expect(badLimit).toBeInstanceOf(ValidationError);
    expect(badLimit).toMatchObject({ status: 400, details: [expect.objectContaining({ path: 'limit' })] });
  });

  it('maps 429 to RateLimitError with retryAfterSeconds (an API with a limit of 3 a minute)', async () => {
    const limitedUrl = await platform.startApi({ INBOX_RATE_LIMIT_PER_MINUTE: '3' });
    const { apiKey: otherKey } = await platform.createAccount('Limited');
    const limited = new Inbox(otherKey, { baseUrl: limitedUrl, maxRetries: 0 });
    for (let i = 0; i < 3; i++) await limited.webhooks.list().page();
    const error = await limited.webhooks
      .list()
      .page()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, code: 'rate_limited' });
    expect((error as RateLimitError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect((error as RateLimitError).retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it('runs the README client example as written', async () => {
    process.env.INBOX_API_KEY = apiKey;
    process.env.INBOX_API_URL = platform.baseUrl;
    const example = await import('../examples/client.js');
    const webhook = await example.registerEndpoint(hook(50));
    expect(webhook).toMatchObject({
      url: hook(50),
      description: 'Production webhook endpoint',
      secret: expect.stringMatching(/^whsec_/),
    });
    await receiver.waitFor(1, { filter: (r) => r.path === '/hooks/50', timeoutMs: 15_000 });
    await expect(example.listUrls()).resolves.toContain(hook(50));
    await expect(example.recentFailures(webhook.id)).resolves.toEqual([]);
    await expect(example.disable(webhook.id)).resolves.toBe('disabled');
    await expect(inbox.webhooks.get(webhook.id)).resolves.toMatchObject({ status: 'disabled' });
    await expect(example.disable('wh_01JD0Y6J6R8Z3Q4W5E6R7T8Y9U')).resolves.toBe('gone');
  });

  it('a POST retried after its answer was lost creates one webhook (same Idempotency-Key, replayed)', async () => {
    let lost = 0;
    const keys: string[] = [];
    const flaky: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (init?.method === 'POST') keys.push((init.headers as Record<string, string>)['idempotency-key']!);
      if (init?.method === 'POST' && lost === 0) {
        lost += 1;
        await response.text();
        throw new TypeError('fetch failed: socket hang up'); // the request went through; its answer did not
      }
      return response;
    };
    const retrying = new Inbox(apiKey, { baseUrl: platform.baseUrl, fetch: flaky, maxRetries: 2 });
    const before = (await inbox.webhooks.list().toArray()).length;
    const created = await retrying.webhooks.create({ url: hook(40), events: ['message.read'] });
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
    const after = await inbox.webhooks.list().toArray();
    expect(after).toHaveLength(before + 1);
    expect(after[0]).toMatchObject({ id: created.id, url: hook(40) });
  });
});
