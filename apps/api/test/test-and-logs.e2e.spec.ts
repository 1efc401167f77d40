import { exampleEvents } from '@inbox/events';
import { recordAttempt } from './support/attempts.js';
import { createAccount, createWebhook, internalAuth, rowCounts, startApi, type Harness, type TestAccount } from './support/harness.js';

describe('test events, logs and event detail', () => {
  let h: Harness;
  let account: TestAccount;

  beforeAll(async () => {
    h = await startApi('api_test_logs');
    account = await createAccount(h);
  });

  afterAll(async () => {
    await h?.close();
  });

  describe('POST /v1/webhooks/test', () => {
    it("sends the docs' curl body (with a real webhook id) through the pipeline: event, delivery, BullMQ job with id = delivery id", async () => {
      const webhook = await createWebhook(h, account, { url: 'https://example.com/hook', events: ['message.read'] });
      // The docs' body, verbatim but for the id; the webhook does not subscribe to message.delivered.
      const body = `{
    "webhook_id": "${webhook.id}",
    "event_type": "message.delivered"
  }`;
      const res = await h.http().post('/v1/webhooks/test').set(account.auth).set('Content-Type', 'application/json').send(body).expect(202);
      expect(res.body).toEqual({ event_id: expect.stringMatching(/^evt_/), delivery_id: expect.stringMatching(/^dlv_/), delivery_ids: [res.body.delivery_id] });

      const { rows: events } = await h.sql.query('SELECT account_id, type, body FROM events WHERE id = $1', [res.body.event_id]);
      expect(events[0]).toMatchObject({ account_id: account.id, type: 'message.delivered' });
      const sent = JSON.parse(events[0].body);
      expect(sent).toEqual({ id: res.body.event_id, type: 'message.delivered', created_at: expect.any(String), data: exampleEvents['message.delivered'].data });
      expect(Math.abs(Date.parse(sent.created_at) - Date.now())).toBeLessThan(60_000);

      const { rows: deliveries } = await h.sql.query('SELECT id, webhook_id, status, attempts FROM deliveries WHERE event_id = $1', [res.body.event_id]);
      expect(deliveries).toEqual([{ id: res.body.delivery_id, webhook_id: webhook.id, status: 'pending', attempts: 0 }]);

      const job = await h.queue.getJob(res.body.delivery_id);
      expect(job).toBeDefined();
      expect(job!.id).toBe(res.body.delivery_id);
      expect(job!.name).toBe('deliver');
      expect(job!.data).toEqual({ deliveryId: res.body.delivery_id, webhookId: webhook.id, accountId: account.id });
    });

    it.each(Object.keys(exampleEvents))('sends a %s example', async (type) => {
      const webhook = await createWebhook(h, account);
      const res = await h.http().post('/v1/webhooks/test').set(account.auth).send({ webhook_id: webhook.id, event_type: type }).expect(202);
      const { rows } = await h.sql.query('SELECT body FROM events WHERE id = $1', [res.body.event_id]);
      expect(JSON.parse(rows[0].body).data).toEqual(exampleEvents[type as keyof typeof exampleEvents].data);
    });

    it('refuses an unknown event type, a disabled webhook and a missing one, creating nothing', async () => {
      const webhook = await createWebhook(h, account);
      const before = await rowCounts(h);
      const unknown = await h.http().post('/v1/webhooks/test').set(account.auth).send({ webhook_id: webhook.id, event_type: 'message.sent' }).expect(422);
      expect(unknown.body.error.details).toEqual([{ path: 'event_type', message: expect.any(String) }]);
      await h.http().post('/v1/webhooks/test').set(account.auth).send({ webhook_id: 'wh_00000000000000000000000000', event_type: 'message.read' }).expect(404);
      await h.http().post('/v1/webhooks/test').set(account.auth).send({ webhook_id: "wh_' OR 1=1 --", event_type: 'message.read' }).expect(404);
      await h.http().post('/v1/webhooks/test').set(account.auth).send({ webhook_id: webhook.id }).expect(422);
      await h.http().put(`/v1/webhooks/${webhook.id}`).set(account.auth).send({ url: 'https://example.com/hook', events: ['message.delivered'], status: 'disabled' }).expect(200);
      const disabled = await h.http().post('/v1/webhooks/test').set(account.auth).send({ webhook_id: webhook.id, event_type: 'message.read' }).expect(409);
      expect(disabled.body.error.code).toBe('webhook_disabled');
      const after = await rowCounts(h);
      expect({ ...after, webhooks_updated: before.webhooks_updated }).toEqual(before);
    });

    it('allows each account INBOX_TEST_EVENTS_PER_MINUTE (10) a minute, then 429 with Retry-After; another account is unaffected', async () => {
      const [busy, other] = [await createAccount(h, 'Tester'), await createAccount(h, 'Other')];
      const send = async (who: TestAccount, status: number) => {
        const webhook = await createWebhook(h, who);
        return h.http().post('/v1/webhooks/test').set(who.auth).send({ webhook_id: webhook.id, event_type: 'message.read' }).expect(status);
      };
      // The budget is per fixed minute: start well inside one.
      if (60_000 - (Date.now() % 60_000) < 5_000) await new Promise((resolve) => setTimeout(resolve, 5_000));
      for (let i = 0; i < 10; i++) await send(busy, 202);
      const refused = await send(busy, 429);
      expect(refused.body.error.code).toBe('rate_limited');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      await send(other, 202);
    });
  });

  describe('GET /v1/webhooks/{id}/logs', () => {
    let webhook: string;
    const attempts: Record<string, string> = {};
    let deliveredEvent: string;
    let readEvent: string;

    beforeAll(async () => {
      webhook = (await createWebhook(h, account, { url: 'https://example.com/logs', events: ['message.delivered', 'message.read'] })).id;
      const first = await h.http().post('/internal/v1/events').set(internalAuth).send({ account_id: account.id, type: 'message.delivered', data: exampleEvents['message.delivered'].data }).expect(202);
      const second = await h.http().post('/internal/v1/events').set(internalAuth).send({ account_id: account.id, type: 'message.read', data: exampleEvents['message.read'].data }).expect(202);
      deliveredEvent = first.body.id;
      readEvent = second.body.id;
      const delivery = async (eventId: string) => (await h.sql.query('SELECT id FROM deliveries WHERE event_id = $1 AND webhook_id = $2', [eventId, webhook])).rows[0].id as string;
      const d1 = await delivery(deliveredEvent);
      const d2 = await delivery(readEvent);
      const t0 = Date.parse('2025-01-15T10:00:00Z');
      // Delivery 1: a 500, a timeout, then a 200. Delivery 2: a refused connection, still pending.
      attempts.first = await recordAttempt(h, { deliveryId: d1, statusCode: 500, responseBody: 'oops', requestedAt: new Date(t0), deliveryStatus: 'pending', nextAttemptAt: new Date(t0 + 30_000) });
      attempts.second = await recordAttempt(h, { deliveryId: d1, statusCode: null, error: 'timeout', errorMessage: 'no answer in 10 s', requestedAt: new Date(t0 + 30_000), deliveryStatus: 'pending', nextAttemptAt: new Date(t0 + 150_000) });
      attempts.third = await recordAttempt(h, { deliveryId: d1, statusCode: 200, responseBody: 'OK', requestedAt: new Date(t0 + 150_000), deliveryStatus: 'succeeded' });
      attempts.fourth = await recordAttempt(h, { deliveryId: d2, statusCode: null, error: 'connection_refused', requestedAt: new Date(t0 + 200_000), deliveryStatus: 'pending', nextAttemptAt: new Date('2099-01-01T00:00:00Z') });
    });

    it('lists attempts newest first with event, attempt number, status, duration, error, response and delivery state', async () => {
      const res = await h.http().get(`/v1/webhooks/${webhook}/logs`).set(account.auth).expect(200);
      expect(res.body.next_cursor).toBeNull();
      expect(res.body.data.map((a: { id: string }) => a.id)).toEqual([attempts.fourth, attempts.third, attempts.second, attempts.first]);
      expect(res.body.data[0]).toEqual({
        id: attempts.fourth,
        event_id: readEvent,
        event_type: 'message.read',
        attempt: 1,
        requested_at: '2025-01-15T10:03:20.000Z',
        duration_ms: 42,
        status_code: null,
        error: 'connection_refused',
        error_message: null,
        response_body: null,
        succeeded: false,
        delivery_id: expect.stringMatching(/^dlv_/),
        delivery_status: 'pending',
        next_retry_at: '2099-01-01T00:00:00.000Z',
      });
      expect(res.body.data[1]).toMatchObject({ event_id: deliveredEvent, attempt: 3, status_code: 200, response_body: 'OK', succeeded: true, delivery_status: 'succeeded', next_retry_at: null });
      expect(res.body.data[2]).toMatchObject({ attempt: 2, status_code: null, error: 'timeout', error_message: 'no answer in 10 s' });
      expect(res.body.data[3]).toMatchObject({ attempt: 1, status_code: 500, response_body: 'oops' });
    });

    it('filters by delivery status, event type and time', async () => {
      const ids = async (query: Record<string, string>) =>
        (await h.http().get(`/v1/webhooks/${webhook}/logs`).query(query).set(account.auth).expect(200)).body.data.map((a: { id: string }) => a.id);
      expect(await ids({ status: 'pending' })).toEqual([attempts.fourth]);
      expect(await ids({ status: 'succeeded' })).toEqual([attempts.third, attempts.second, attempts.first]);
      expect(await ids({ status: 'failed' })).toEqual([]);
      expect(await ids({ event_type: 'message.delivered' })).toEqual([attempts.third, attempts.second, attempts.first]);
      expect(await ids({ since: '2025-01-15T10:00:30Z' })).toEqual([attempts.fourth, attempts.third, attempts.second]);
      expect(await ids({ until: '2025-01-15T10:00:30Z' })).toEqual([attempts.first]);
      expect(await ids({ since: '2025-01-15T10:00:30Z', until: '2025-01-15T11:01:00+01:00' })).toEqual([attempts.second]);
      expect(await ids({ status: 'succeeded', event_type: 'message.read' })).toEqual([]);
    });

    it('paginates with a cursor', async () => {
      const page1 = await h.http().get(`/v1/webhooks/${webhook}/logs?limit=3`).set(account.auth).expect(200);
      expect(page1.body.data).toHaveLength(3);
      const page2 = await h.http().get(`/v1/webhooks/${webhook}/logs`).query({ limit: '3', cursor: page1.body.next_cursor }).set(account.auth).expect(200);
      expect(page2.body).toEqual({ data: [expect.objectContaining({ id: attempts.first })], next_cursor: null });
    });

    it.each([
      ['status=delivered', 'status'],
      ['event_type=message.sent', 'event_type'],
      ['since=yesterday', 'since'],
      ['until=2025-13-45T99:00:00Z', 'until'],
      ['since=2025-01-16T00:00:00Z&until=2025-01-15T00:00:00Z', 'since'],
      ['limit=0', 'limit'],
      ['verbose=true', 'verbose'],
    ])('refuses %s with 400 naming %s', async (query, path) => {
      const res = await h.http().get(`/v1/webhooks/${webhook}/logs?${query}`).set(account.auth).expect(400);
      expect(res.body.error.details).toEqual([expect.objectContaining({ path })]);
    });

    it('uses cursors only for this kind of list', async () => {
      const webhookCursor = Buffer.from(webhook).toString('base64url');
      await h.http().get(`/v1/webhooks/${webhook}/logs`).query({ cursor: webhookCursor }).set(account.auth).expect(400);
    });

    it('404s for an unknown webhook', async () => {
      await h.http().get('/v1/webhooks/wh_00000000000000000000000000/logs').set(account.auth).expect(404);
    });
  });

  describe('GET /v1/events/{id}', () => {
    it('shows the event with its payload, deliveries and their attempts', async () => {
      const a = (await createWebhook(h, account, { url: 'https://example.com/ev-a', events: ['message.action'] })).id;
      const b = (await createWebhook(h, account, { url: 'https://example.com/ev-b', events: ['message.action'] })).id;
      const example = exampleEvents['message.action'];
      const ingested = await h.http().post('/internal/v1/events').set(internalAuth).send({ id: 'evt_detail', account_id: account.id, type: example.type, data: example.data, created_at: example.created_at }).expect(202);
      const { rows } = await h.sql.query('SELECT id, webhook_id FROM deliveries WHERE event_id = $1', ['evt_detail']);
      const toA = rows.find((r) => r.webhook_id === a)!.id;
      const attempt = await recordAttempt(h, { deliveryId: toA, statusCode: 503, deliveryStatus: 'failed' });

      const res = await h.http().get(`/v1/events/${ingested.body.id}`).set(account.auth).expect(200);
      expect(res.body).toMatchObject({ id: 'evt_detail', type: 'message.action', created_at: '2025-01-15T10:26:00.000Z', payload: { ...example, id: 'evt_detail' } });
      expect(res.body.deliveries).toHaveLength(2);
      const byWebhook = Object.fromEntries(res.body.deliveries.map((d: { webhook_id: string }) => [d.webhook_id, d]));
      expect(byWebhook[a]).toMatchObject({ id: toA, status: 'failed', attempts: 1, next_attempt_at: null, attempt_log: [expect.objectContaining({ id: attempt, status_code: 503 })] });
      expect(byWebhook[b]).toMatchObject({ status: 'pending', attempts: 0, next_attempt_at: expect.any(String), attempt_log: [] });
    });

    it('404s for unknown and malformed ids', async () => {
      await h.http().get('/v1/events/evt_00000000000000000000000000').set(account.auth).expect(404);
      await h.http().get(`/v1/events/${encodeURIComponent("evt_' OR 1=1 --")}`).set(account.auth).expect(404);
    });
  });
});
