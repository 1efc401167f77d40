import { exampleEvents } from '@inbox/events';
import { startReceiver, type ReceivedRequest, type Receiver } from '@inbox/testing';
import {
  ConflictError,
  constructEvent,
  Inbox,
  NotFoundError,
  ValidationError,
  type WebhookWithSecret,
} from '../src/index.js';
import { createDispatcherApp, eventually, startPlatform, type Platform } from './support/platform.js';

// `inbox.webhooks.resend` and `.recover` against the real API and dispatcher: what was sent before
// arrives again at a local receiver — the same bytes and event id, a new delivery from attempt 1.
const describeWithApps = createDispatcherApp ? describe : describe.skip;

describeWithApps('resend and recover through the real dispatcher', () => {
  let platform: Platform;
  let receiver: Receiver;
  let inbox: Inbox;
  let accountId: string;
  /** Paths whose requests the receiver answers with a 500. */
  const failing = new Set<string>();

  beforeAll(async () => {
    // Two quick attempts per delivery, so a failure is final within a second.
    platform = await startPlatform('sdk_resend', { dispatcher: true, env: { INBOX_RETRY_SCHEDULE: '0,100ms' } });
    receiver = await startReceiver((request) => (failing.has(request.path) ? 500 : 200));
    const account = await platform.createAccount();
    accountId = account.id;
    inbox = new Inbox(account.apiKey, { baseUrl: platform.baseUrl, maxRetries: 0 });
  });

  afterAll(async () => {
    await receiver?.close();
    await platform?.close();
  });

  async function ingest(): Promise<string> {
    const res = await fetch(`${platform.baseUrl}/internal/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${platform.config.internalToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ account_id: accountId, type: 'message.read', data: exampleEvents['message.read'].data }),
    });
    if (res.status !== 202) throw new Error(`ingest: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { id: string }).id;
  }

  const register = (path: string) => inbox.webhooks.create({ url: `${receiver.url}${path}`, events: ['message.read'] });
  const at = (path: string) => (r: ReceivedRequest) => r.path === path;
  const eventIdOf = (r: ReceivedRequest) => r.headers['x-inbox-event-id'];

  /** Verifies the request as a receiver would, and returns what identifies the event and the try. */
  function delivered(request: ReceivedRequest, webhook: WebhookWithSecret) {
    const event = constructEvent(request.body, request.headers, webhook.secret);
    return {
      id: event.id,
      eventId: eventIdOf(request),
      webhookId: request.headers['webhook-id'],
      attempt: request.headers['x-inbox-delivery-attempt'],
    };
  }

  it('resends a delivered event: the same bytes and event id arrive again as attempt 1 of a new delivery', async () => {
    const webhook = await register('/hooks/resend');
    const eventId = await ingest();
    const [first] = await receiver.waitFor(1, { filter: at('/hooks/resend'), timeoutMs: 15_000 });
    const original = await eventually(
      async () => (await inbox.events.get(eventId)).deliveries.find((d) => d.status === 'succeeded'),
      15_000,
      'the first delivery to succeed',
    );

    const resent = await inbox.webhooks.resend(webhook.id, eventId);
    expect(resent).toEqual({ delivery_id: expect.stringMatching(/^dlv_/) });
    expect(resent.delivery_id).not.toBe(original.id);

    const [, second] = await receiver.waitFor(2, { filter: at('/hooks/resend'), timeoutMs: 15_000 });
    expect(second!.body.equals(first!.body)).toBe(true);
    expect(delivered(second!, webhook)).toEqual({ id: eventId, eventId, webhookId: eventId, attempt: '1' });

    const detail = await eventually(
      async () => {
        const d = await inbox.events.get(eventId);
        return d.deliveries.every((delivery) => delivery.status === 'succeeded') ? d : undefined;
      },
      15_000,
      'the resend to succeed',
    );
    expect(detail.deliveries.map((d) => [d.id, d.resend_of, d.attempts, d.attempt_log.map((a) => a.attempt)])).toEqual([
      [original.id, null, 1, [1]],
      [resent.delivery_id, original.id, 1, [1]],
    ]);
    const logs = await inbox.webhooks.logs(webhook.id).toArray();
    expect(logs.map((a) => [a.delivery_id, a.event_id, a.attempt, a.status_code])).toEqual([
      [resent.delivery_id, eventId, 1, 200],
      [original.id, eventId, 1, 200],
    ]);
  });

  it('recovers the events whose deliveries failed: each arrives once more, as attempt 1, with its bytes', async () => {
    const webhook = await register('/hooks/recover');
    failing.add('/hooks/recover');
    const eventIds = [await ingest(), await ingest()];
    // Two tries each (the schedule), then failed. (The events go to the first test's webhook too.)
    const failed = await receiver.waitFor(4, { filter: at('/hooks/recover'), timeoutMs: 15_000 });
    for (const eventId of eventIds) {
      const failedThere = async () =>
        (await inbox.events.get(eventId)).deliveries.find((d) => d.webhook_id === webhook.id)?.status === 'failed';
      await eventually(async () => ((await failedThere()) ? true : undefined), 15_000, `${eventId} to fail`);
    }
    failing.delete('/hooks/recover');

    await expect(inbox.webhooks.recover(webhook.id, { since: new Date(Date.now() - 3_600_000) })).resolves.toEqual({
      deliveries: 2,
    });
    const all = await receiver.waitFor(6, { filter: at('/hooks/recover'), timeoutMs: 15_000 });
    const recovered = all.slice(4);
    expect(recovered.map((r) => delivered(r, webhook).eventId).sort()).toEqual([...eventIds].sort());
    for (const request of recovered) {
      expect(delivered(request, webhook).attempt).toBe('1');
      const before = failed.find((f) => eventIdOf(f) === eventIdOf(request));
      expect(request.body.equals(before!.body)).toBe(true);
    }

    // Nothing failed is left in the window (ISO strings work as well as Dates).
    await eventually(
      async () =>
        (await inbox.webhooks.logs(webhook.id, { status: 'pending' }).toArray()).length === 0 ? true : undefined,
      15_000,
      'the recovered deliveries to end',
    );
    const now = new Date();
    await expect(
      inbox.webhooks.recover(webhook.id, {
        since: new Date(now.getTime() - 3_600_000).toISOString(),
        until: now.toISOString(),
      }),
    ).resolves.toEqual({ deliveries: 0 });
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.requests.filter(at('/hooks/recover'))).toHaveLength(6);
  });

  it('throws typed errors: NotFoundError, ValidationError naming the field, ConflictError for a disabled webhook', async () => {
    const webhook = await register('/hooks/errors');
    await expect(inbox.webhooks.resend(webhook.id, 'evt_00000000000000000000000000')).rejects.toBeInstanceOf(
      NotFoundError,
    );
    const now = Date.now();
    const invalid = await inbox.webhooks
      .recover(webhook.id, { since: new Date(now), until: new Date(now - 1000) })
      .catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(ValidationError);
    expect(invalid).toMatchObject({ status: 422, details: [expect.objectContaining({ path: 'until' })] });
    await inbox.webhooks.update(webhook.id, { url: webhook.url, events: webhook.events, status: 'disabled' });
    await expect(inbox.webhooks.recover(webhook.id, { since: new Date(now - 60_000) })).rejects.toMatchObject({
      constructor: ConflictError,
      code: 'webhook_disabled',
    });
  });
});
