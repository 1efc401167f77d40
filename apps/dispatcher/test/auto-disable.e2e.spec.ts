import type { INestApplication } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import { WebhooksRepository, type AccountId, type WebhookId } from '@inbox/db';
import { MESSAGE_EVENT_TYPES, parseEvent, type WebhookDisabledEvent } from '@inbox/events';
import { verifyInboxSignature } from '@inbox/signing';
import { startReceiver, type ReceivedRequest, type Receiver } from '@inbox/testing';
import { sleep, waitFor } from './support/wait.js';
import { createTestWorld, startDispatcher, type TestWorld } from './support/world.js';

/** Ten attempts, 300 ms apart: one failing delivery keeps failing for about 2.7 s. */
const SCHEDULE = ['0', ...Array<string>(9).fill('300ms')].join(',');
const message = { type: 'message.read' as const, data: { message_id: 'msg_1', to: '+15551234567', read_at: '2025-01-15T10:25:15Z', device_id: 'dev_1' } };

/** Waits for the delivery to leave `pending`, and gives its row. */
const finished = (world: TestWorld, deliveryId: string) =>
  waitFor(`delivery ${deliveryId} to finish`, async () => {
    const row = await world.fixtures.delivery(deliveryId);
    return row.status !== 'pending' && row;
  });

interface WebhookState {
  status: string;
  failing_since: Date | null;
  disabled_reason: string | null;
  disabled_at: Date | null;
  disabled_notice_pending: boolean;
}

/**
 * Auto-disable on the real dispatcher (real Postgres, Redis and receivers): a webhook whose
 * attempts all fail for INBOX_AUTO_DISABLE_AFTER (2 s here), or that answers 410 Gone, is disabled;
 * the account's other webhooks subscribed to `webhook.disabled` get a signed event saying so; its
 * pending deliveries end with a `webhook_disabled` attempt and nothing more is sent to it.
 */
describe('auto-disable (INBOX_AUTO_DISABLE_AFTER 2s, ten attempts 300 ms apart)', () => {
  let world: TestWorld;
  let app: INestApplication;
  let receiver: Receiver;
  /** `/flaky` answers 200 to this event id only. */
  let flakySuccessFor = '';

  beforeAll(async () => {
    world = await createTestWorld('dispatch_auto_disable', { INBOX_AUTO_DISABLE_AFTER: '2s', INBOX_RETRY_SCHEDULE: SCHEDULE });
    receiver = await startReceiver((request) => {
      if (request.path.startsWith('/failing')) return 500;
      if (request.path.startsWith('/gone')) return { status: 410, body: 'Gone' };
      if (request.path.startsWith('/flaky')) return request.headers['x-inbox-event-id'] === flakySuccessFor ? 200 : 503;
      return 200;
    });
    app = await startDispatcher(world);
  });

  afterAll(async () => {
    await app?.close();
    await receiver?.close();
    await world?.close();
  });

  const state = async (webhookId: string): Promise<WebhookState> => {
    const rows: WebhookState[] = await world.fixtures.db.query(
      `SELECT status, failing_since, disabled_reason, disabled_at, disabled_notice_pending FROM webhooks WHERE id = $1`,
      [webhookId],
    );
    return rows[0]!;
  };
  const disabled = (webhookId: string) =>
    waitFor(`webhook ${webhookId} to be disabled`, async () => {
      const s = await state(webhookId);
      return s.status === 'disabled' && s;
    });
  const at = (path: string) => receiver.requests.filter((r) => r.path === path);

  /** An account with `webhooks` (path → events), each pointed at the receiver. */
  async function account(webhooks: Record<string, readonly string[]>) {
    const id = await world.fixtures.account();
    const hooks: Record<string, { id: string; secret: string }> = {};
    for (const [path, events] of Object.entries(webhooks)) hooks[path] = await world.fixtures.webhook(id, `${receiver.url}${path}`, { events: events as never });
    return { id, hooks };
  }

  /** An event for the account, its deliveries queued as ingest queues them. */
  async function ingest(accountId: string) {
    const event = await world.fixtures.ingest(accountId, message);
    await world.enqueue(event.deliveryIds);
    return event;
  }

  /** Checks both signatures with the receiving webhook's secret and parses the body with @inbox/events. */
  function verifiedNotice(request: ReceivedRequest, secret: string): WebhookDisabledEvent {
    expect(verifyInboxSignature(request.body, request.headers['x-inbox-signature'] as string, secret)).toBe(true);
    new Webhook(secret).verify(request.body, request.headers as Record<string, string>);
    expect(request.headers['x-inbox-event-type']).toBe('webhook.disabled');
    const event = parseEvent(JSON.parse(request.body.toString('utf8')));
    if (event.type !== 'webhook.disabled') throw new Error(`expected webhook.disabled, got ${event.type}`);
    return event;
  }

  it('disables a webhook failing for 2 s, tells the other subscribed webhook (signed), and ends its pending deliveries', async () => {
    const acme = await account({
      '/failing/acme': MESSAGE_EVENT_TYPES,
      '/notices/acme': ['webhook.disabled'],
      '/messages/acme': MESSAGE_EVENT_TYPES,
    });
    await account({ '/notices/globex': ['webhook.disabled'] });
    const failing = acme.hooks['/failing/acme']!;
    const deliveryTo = async (event: { deliveryIds: readonly string[] }) =>
      (await Promise.all(event.deliveryIds.map((id) => world.fixtures.delivery(id)))).find((d) => d.webhook_id === failing.id)!.id;
    const firstDelivery = await deliveryTo(await ingest(acme.id));
    // A second event for it, due only once it is disabled.
    const later = await world.fixtures.ingest(acme.id, message);
    const laterDelivery = await deliveryTo(later);
    await world.fixtures.db.query(`UPDATE deliveries SET next_attempt_at = now() + interval '4 seconds' WHERE id = $1`, [laterDelivery]);
    await world.enqueue(later.deliveryIds);

    const off = await disabled(failing.id);
    expect(off).toMatchObject({ disabled_reason: 'failing' });
    const firstTry = at('/failing/acme')[0]!.receivedAt;
    expect(Math.abs(off.failing_since!.getTime() - firstTry)).toBeLessThan(1_000);
    expect(off.disabled_at!.getTime() - off.failing_since!.getTime()).toBeGreaterThanOrEqual(2_000);
    expect(off.disabled_at!.getTime() - off.failing_since!.getTime()).toBeLessThan(5_000);

    const [notice] = await receiver.waitFor(1, { filter: (r) => r.path === '/notices/acme' });
    const event = verifiedNotice(notice!, acme.hooks['/notices/acme']!.secret);
    expect(event.data).toEqual({ webhook_id: failing.id, url: `${receiver.url}/failing/acme`, reason: 'failing', disabled_at: off.disabled_at!.toISOString() });
    expect(event.created_at).toBe(off.disabled_at!.toISOString().replace(/\.\d{3}Z$/, 'Z'));

    // Its pending deliveries end with a webhook_disabled attempt; nothing more reaches it.
    for (const id of [firstDelivery, laterDelivery]) {
      expect(await finished(world, id)).toMatchObject({ status: 'failed', next_attempt_at: null });
      const last = (await world.fixtures.attempts(id)).at(-1)!;
      expect(last).toMatchObject({ error: 'webhook_disabled', status_code: null, duration_ms: 0, succeeded: false });
      expect(last.error_message).toMatch(/^Not sent: the webhook is disabled \(every attempt to it failed for too long\)/);
    }
    expect(await world.fixtures.attempts(laterDelivery)).toHaveLength(1);
    expect(await state(failing.id)).toMatchObject({ disabled_notice_pending: false });
    await sleep(500);
    expect(at('/failing/acme').filter((r) => r.receivedAt > off.disabled_at!.getTime() + 200)).toEqual([]);

    // Only the account's webhook subscribed to webhook.disabled was told, once.
    expect(at('/notices/acme')).toHaveLength(1);
    expect(at('/notices/globex')).toEqual([]);
    expect(at('/messages/acme').map((r) => r.headers['x-inbox-event-type'])).toEqual(['message.read', 'message.read']);

    // The notice is an event like the others: stored, with its delivery succeeded and logged.
    const [stored] = await world.fixtures.db.query(`SELECT id, type, body FROM events WHERE account_id = $1 AND type = 'webhook.disabled'`, [acme.id]);
    expect(stored).toMatchObject({ id: event.id, body: notice!.body.toString('utf8') });
  });

  it('disables a webhook at once when it answers 410 Gone', async () => {
    const acme = await account({ '/gone/acme': MESSAGE_EVENT_TYPES, '/notices/gone': ['webhook.disabled', 'message.read'] });
    const gone = acme.hooks['/gone/acme']!;
    const event = await ingest(acme.id);
    const off = await disabled(gone.id);
    expect(off).toMatchObject({ disabled_reason: 'gone' });
    expect(at('/gone/acme')).toHaveLength(1);

    const notices = await receiver.waitFor(2, { filter: (r) => r.path === '/notices/gone' });
    const notice = notices.find((r) => r.headers['x-inbox-event-type'] === 'webhook.disabled')!;
    expect(verifiedNotice(notice, acme.hooks['/notices/gone']!.secret).data).toMatchObject({ webhook_id: gone.id, reason: 'gone' });

    const deliveries = await Promise.all(event.deliveryIds.map((id) => finished(world, id)));
    const toGone = deliveries.find((d) => d.webhook_id === gone.id)!;
    expect(toGone).toMatchObject({ status: 'failed', attempts: 2 });
    const attempts = await world.fixtures.attempts(toGone.id);
    expect(attempts.map((a) => [a.status_code, a.error])).toEqual([
      [410, null],
      [null, 'webhook_disabled'],
    ]);
    expect(attempts[1]!.error_message).toMatch(/410 Gone/);
  });

  it('re-enabling (PUT status enabled) starts the streak afresh', async () => {
    const acme = await account({ '/failing/again': MESSAGE_EVENT_TYPES });
    const hook = acme.hooks['/failing/again']!;
    await world.fixtures.db.query(
      `UPDATE webhooks SET status = 'disabled', disabled_reason = 'failing', failing_since = now() - interval '1 hour', disabled_at = now() WHERE id = $1`,
      [hook.id],
    );
    const changes = { url: `${receiver.url}/failing/again`, events: [...MESSAGE_EVENT_TYPES], description: null };
    const enabled = await app.get(WebhooksRepository).update(acme.id as AccountId, hook.id as WebhookId, { ...changes, status: 'enabled' });
    expect(enabled).toMatchObject({ status: 'enabled', disabledReason: null, disabledAt: null });
    expect(await state(hook.id)).toMatchObject({ failing_since: null });

    const reenabledAt = Date.now();
    const event = await ingest(acme.id);
    await waitFor('a failed attempt', async () => (await world.fixtures.attempts(event.deliveryIds[0]!)).length >= 2);
    // An hour-old streak would disable it at its first failure; the fresh one has barely begun.
    const now = await state(hook.id);
    expect(now).toMatchObject({ status: 'enabled', disabled_reason: null });
    expect(now.failing_since!.getTime()).toBeGreaterThanOrEqual(reenabledAt - 1_000);
    await world.fixtures.db.query(`UPDATE deliveries SET status = 'failed' WHERE id = $1`, [event.deliveryIds[0]]);
  });

  it('a success in between ends the streak: failures on both sides of it, 2 s in all, do not disable', async () => {
    const acme = await account({ '/flaky': MESSAGE_EVENT_TYPES });
    const hook = acme.hooks['/flaky']!;
    const failing = await ingest(acme.id);
    const failingDelivery = failing.deliveryIds[0]!;
    // Ten failures ~300 ms apart (how far apart exactly depends on the machine: measured from the
    // first three), split by a success so that neither side lasts 2 s: it must land after the
    // first failure + (span − 2 s) and before the first failure + 2 s.
    const firstThree = await waitFor('three failed attempts', async () => {
      const tried = await world.fixtures.attempts(failingDelivery);
      return tried.length >= 3 && tried;
    }, { intervalMs: 20 });
    const start = firstThree[0]!.requested_at.getTime();
    const spacing = (firstThree[2]!.requested_at.getTime() - start) / 2;
    const splitAt = start + Math.max(0, 9 * spacing - 1_850);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, splitAt - Date.now())));
    const good = await world.fixtures.ingest(acme.id, message);
    flakySuccessFor = good.eventId;
    await world.enqueue(good.deliveryIds);
    expect(await finished(world, good.deliveryIds[0]!)).toMatchObject({ status: 'succeeded' });

    expect(await finished(world, failingDelivery)).toMatchObject({ status: 'failed', attempts: 10 });
    const attempts = await world.fixtures.attempts(failingDelivery);
    expect(attempts.every((a) => a.status_code === 503)).toBe(true);
    expect(attempts.at(-1)!.requested_at.getTime() - attempts[0]!.requested_at.getTime()).toBeGreaterThanOrEqual(2_000);
    const [success] = await world.fixtures.attempts(good.deliveryIds[0]!);
    const now = await state(hook.id);
    expect(now).toMatchObject({ status: 'enabled', disabled_reason: null });
    expect(now.failing_since!.getTime()).toBeGreaterThan(success!.requested_at.getTime());
  });

  it('the reconciler stores the webhook.disabled event a stopped dispatcher left unannounced', async () => {
    const acme = await account({ '/failing/lost': MESSAGE_EVENT_TYPES, '/notices/lost': ['webhook.disabled'] });
    const lost = acme.hooks['/failing/lost']!;
    // As a dispatcher leaves it if it stops between the disable and storing the event (grace: 2 s).
    await world.fixtures.db.query(
      `UPDATE webhooks SET status = 'disabled', disabled_reason = 'failing', disabled_at = date_trunc('milliseconds', now()) - interval '3 seconds',
              disabled_notice_pending = true WHERE id = $1`,
      [lost.id],
    );
    const [notice] = await receiver.waitFor(1, { filter: (r) => r.path === '/notices/lost', timeoutMs: 10_000 });
    const { disabled_at } = await state(lost.id);
    expect(verifiedNotice(notice!, acme.hooks['/notices/lost']!.secret).data).toEqual({
      webhook_id: lost.id,
      url: `${receiver.url}/failing/lost`,
      reason: 'failing',
      disabled_at: disabled_at!.toISOString(),
    });
    expect(await state(lost.id)).toMatchObject({ disabled_notice_pending: false });
    await sleep(1_500);
    expect(at('/notices/lost')).toHaveLength(1);
  });
});

describe('INBOX_AUTO_DISABLE_AFTER 0: failing webhooks stay enabled', () => {
  let world: TestWorld;
  let app: INestApplication;
  let receiver: Receiver;

  beforeAll(async () => {
    world = await createTestWorld('dispatch_auto_disable_off', { INBOX_AUTO_DISABLE_AFTER: '0', INBOX_RETRY_SCHEDULE: SCHEDULE });
    receiver = await startReceiver(() => 500);
    app = await startDispatcher(world);
  });

  afterAll(async () => {
    await app?.close();
    await receiver?.close();
    await world?.close();
  });

  it('keeps the streak but never disables by time', async () => {
    const accountId = await world.fixtures.account();
    const hook = await world.fixtures.webhook(accountId, `${receiver.url}/failing`);
    await world.fixtures.webhook(accountId, `${receiver.url}/notices`, { events: ['webhook.disabled'] });
    const event = await world.fixtures.ingest(accountId, message);
    await world.enqueue(event.deliveryIds);
    const delivery = await finished(world, event.deliveryIds[0]!);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 10 });
    const attempts = await world.fixtures.attempts(delivery.id);
    expect(attempts.at(-1)!.requested_at.getTime() - attempts[0]!.requested_at.getTime()).toBeGreaterThanOrEqual(2_000);
    const [row] = await world.fixtures.db.query(`SELECT status, failing_since, disabled_reason FROM webhooks WHERE id = $1`, [hook.id]);
    expect(row).toMatchObject({ status: 'enabled', disabled_reason: null, failing_since: attempts[0]!.requested_at });
    expect(receiver.requests.filter((r) => r.path === '/notices')).toEqual([]);
  });
});
