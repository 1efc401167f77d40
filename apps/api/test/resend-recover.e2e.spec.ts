import { exampleEvents } from '@inbox/events';
import { recordAttempt } from './support/attempts.js';
import {
  createAccount,
  createWebhook,
  internalAuth,
  rowCounts,
  startApi,
  type Harness,
  type TestAccount,
} from './support/harness.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** ISO-8601 UTC to the second, `hoursAgo` hours before now. */
const ago = (hoursAgo: number) => new Date(Date.now() - hoursAgo * HOUR_MS).toISOString().replace(/\.\d{3}Z$/, 'Z');

interface DeliveryRow {
  id: string;
  event_id: string;
  webhook_id: string;
  status: string;
  attempts: number;
  resend_of: string | null;
}

describe('POST /v1/webhooks/{id}/resend and /recover', () => {
  let h: Harness;
  let a: TestAccount;
  let b: TestAccount;

  beforeAll(async () => {
    h = await startApi('api_resend');
    a = await createAccount(h, 'A');
    b = await createAccount(h, 'B');
  });

  afterAll(async () => {
    await h?.close();
  });

  /** Ingests a message.read event for the account (created `hoursAgo` hours ago); returns its id. */
  async function ingest(account: TestAccount, hoursAgo = 1): Promise<string> {
    const res = await h
      .http()
      .post('/internal/v1/events')
      .set(internalAuth)
      .send({
        account_id: account.id,
        type: 'message.read',
        data: exampleEvents['message.read'].data,
        created_at: ago(hoursAgo),
      })
      .expect(202);
    return res.body.id;
  }

  const deliveriesOf = async (eventId: string, webhookId: string): Promise<DeliveryRow[]> =>
    (
      await h.sql.query<DeliveryRow>(
        'SELECT id, event_id, webhook_id, status, attempts, resend_of FROM deliveries WHERE event_id = $1 AND webhook_id = $2 ORDER BY id',
        [eventId, webhookId],
      )
    ).rows;

  /** Ends the pair's latest delivery as the dispatcher would after its last try. */
  async function end(eventId: string, webhookId: string, outcome: 'succeeded' | 'failed'): Promise<string> {
    const latest = (await deliveriesOf(eventId, webhookId)).at(-1)!;
    await recordAttempt(h, {
      deliveryId: latest.id,
      statusCode: outcome === 'succeeded' ? 200 : 500,
      deliveryStatus: outcome,
    });
    return latest.id;
  }

  const jobOf = async (deliveryId: string) => (await h.queue.getJob(deliveryId))?.data;

  const resend = (account: TestAccount, webhookId: string, body: unknown) =>
    h
      .http()
      .post(`/v1/webhooks/${webhookId}/resend`)
      .set(account.auth)
      .send(body as object);
  const recover = (account: TestAccount, webhookId: string, body: unknown) =>
    h
      .http()
      .post(`/v1/webhooks/${webhookId}/recover`)
      .set(account.auth)
      .send(body as object);

  describe('resend', () => {
    let webhook: string;

    beforeAll(async () => {
      webhook = (await createWebhook(h, a, { url: 'https://example.com/resend', events: ['message.read'] })).id;
    });

    it.each(['succeeded', 'failed'] as const)(
      'sends a %s event again: a new pending delivery of the same event, queued, shown in the event detail',
      async (outcome) => {
        const eventId = await ingest(a);
        const first = await end(eventId, webhook, outcome);
        const { rows: before } = await h.sql.query('SELECT body FROM events WHERE id = $1', [eventId]);

        const res = await resend(a, webhook, { event_id: eventId }).expect(202);
        expect(res.body).toEqual({ delivery_id: expect.stringMatching(/^dlv_/) });
        const created = res.body.delivery_id as string;
        expect(await deliveriesOf(eventId, webhook)).toEqual([
          { id: first, event_id: eventId, webhook_id: webhook, status: outcome, attempts: 1, resend_of: null },
          { id: created, event_id: eventId, webhook_id: webhook, status: 'pending', attempts: 0, resend_of: first },
        ]);
        expect(await jobOf(created)).toEqual({ deliveryId: created, webhookId: webhook, accountId: a.id });
        // The event is stored once: the resend sends the same bytes.
        expect((await h.sql.query('SELECT body FROM events WHERE id = $1', [eventId])).rows).toEqual(before);

        const detail = await h.http().get(`/v1/events/${eventId}`).set(a.auth).expect(200);
        expect(detail.body.deliveries).toEqual([
          expect.objectContaining({
            id: first,
            status: outcome,
            resend_of: null,
            attempt_log: [expect.objectContaining({ delivery_id: first, attempt: 1 })],
          }),
          expect.objectContaining({ id: created, status: 'pending', attempts: 0, resend_of: first, attempt_log: [] }),
        ]);

        // Its attempts go to the logs under the new delivery, numbered from 1 again.
        await recordAttempt(h, { deliveryId: created, statusCode: 200, deliveryStatus: 'succeeded' });
        const logs = await h.http().get(`/v1/webhooks/${webhook}/logs`).set(a.auth).expect(200);
        expect(
          logs.body.data
            .filter((l: { event_id: string }) => l.event_id === eventId)
            .map((l: { delivery_id: string; attempt: number }) => [l.delivery_id, l.attempt]),
        ).toEqual([
          [created, 1],
          [first, 1],
        ]);
      },
    );

    it('leaves the answer to a repeated ingest as it was: resends are not deliveries ingest made', async () => {
      const body = {
        id: 'evt_resend_repeat',
        account_id: a.id,
        type: 'message.read',
        data: exampleEvents['message.read'].data,
      };
      await h
        .http()
        .post('/internal/v1/events')
        .set(internalAuth)
        .send(body)
        .expect(202, { id: body.id, deliveries: 1 });
      await end(body.id, webhook, 'failed');
      await resend(a, webhook, { event_id: body.id }).expect(202);
      await h
        .http()
        .post('/internal/v1/events')
        .set(internalAuth)
        .send(body)
        .expect(202, { id: body.id, deliveries: 1 });
    });

    it('answers 409 delivery_pending while the event is still on its schedule, changing nothing', async () => {
      const eventId = await ingest(a);
      const before = await rowCounts(h);
      const res = await resend(a, webhook, { event_id: eventId }).expect(409);
      expect(res.body.error.code).toBe('delivery_pending');
      expect(await rowCounts(h)).toEqual(before);
    });

    it('answers 404 for an event never sent to this webhook, another account’s event, or no event at all', async () => {
      const other = (await createWebhook(h, a, { url: 'https://example.com/other', events: ['message.delivered'] })).id;
      const sentElsewhere = await ingest(a); // to `webhook` only: `other` does not take message.read
      await end(sentElsewhere, webhook, 'succeeded');
      const theirs = (await createWebhook(h, b, { url: 'https://example.com/b', events: ['message.read'] })).id;
      const theirEvent = await ingest(b);
      await end(theirEvent, theirs, 'failed');

      const before = await rowCounts(h);
      for (const [webhookId, eventId] of [
        [other, sentElsewhere],
        [webhook, theirEvent],
        [webhook, 'evt_00000000000000000000000000'],
        [webhook, "evt_' OR 1=1 --"],
      ] as const) {
        const res = await resend(a, webhookId, { event_id: eventId }).expect(404);
        expect(res.body.error.code).toBe('not_found');
      }
      expect(await rowCounts(h)).toEqual(before);
    });

    it('answers 422 for a body without event_id or with more, changing nothing', async () => {
      const before = await rowCounts(h);
      const missing = await resend(a, webhook, {}).expect(422);
      expect(missing.body.error.details).toEqual([expect.objectContaining({ path: 'event_id' })]);
      await resend(a, webhook, { event_id: 'evt_1', delivery_id: 'dlv_1' }).expect(422);
      await resend(a, webhook, { event_id: 42 }).expect(422);
      expect(await rowCounts(h)).toEqual(before);
    });

    it('replays an Idempotency-Key: one new delivery, the first answer again', async () => {
      const eventId = await ingest(a);
      await end(eventId, webhook, 'failed');
      const send = () =>
        resend(a, webhook, { event_id: eventId }).set('Idempotency-Key', `resend-${eventId}`).expect(202);
      const first = await send();
      const again = await send();
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(await deliveriesOf(eventId, webhook)).toHaveLength(2);
    });
  });

  describe('recover', () => {
    let webhook: string;
    /** Outcomes by name, each an event of the window unless said otherwise. */
    const events: Record<string, string> = {};

    beforeAll(async () => {
      webhook = (await createWebhook(h, a, { url: 'https://example.com/recover', events: ['message.read'] })).id;
      events.failed = await ingest(a, 10);
      await end(events.failed, webhook, 'failed');
      events.succeeded = await ingest(a, 10);
      await end(events.succeeded, webhook, 'succeeded');
      events.pending = await ingest(a, 10);
      events.failedTwice = await ingest(a, 20);
      await end(events.failedTwice, webhook, 'failed');
      await h.sql.query(
        `INSERT INTO deliveries (id, account_id, event_id, webhook_id, status, resend_of)
         SELECT 'dlv_' || substr(id, 5) || 'x', account_id, event_id, webhook_id, 'failed', id FROM deliveries WHERE event_id = $1`,
        [events.failedTwice],
      );
      events.failedThenSucceeded = await ingest(a, 20);
      await end(events.failedThenSucceeded, webhook, 'failed');
      await resend(a, webhook, { event_id: events.failedThenSucceeded }).expect(202);
      await end(events.failedThenSucceeded, webhook, 'succeeded');
      events.failedBefore = await ingest(a, 5 * 24); // outside the window
      await end(events.failedBefore, webhook, 'failed');
      events.failedAfter = await ingest(a, 1); // outside the window
      await end(events.failedAfter, webhook, 'failed');
    });

    it('sends exactly the failed events of the window again, once each, and nothing the second time', async () => {
      const window = { since: ago(48), until: ago(2) };
      const res = await recover(a, webhook, window).expect(202);
      expect(res.body).toEqual({ deliveries: 2 });

      for (const name of ['failed', 'failedTwice']) {
        const rows = await deliveriesOf(events[name]!, webhook);
        const latestFailed = rows.filter((r) => r.status === 'failed').at(-1)!;
        expect(rows.at(-1)).toEqual({
          id: expect.any(String),
          event_id: events[name],
          webhook_id: webhook,
          status: 'pending',
          attempts: 0,
          resend_of: latestFailed.id,
        });
        expect(await jobOf(rows.at(-1)!.id)).toEqual({ deliveryId: rows.at(-1)!.id, webhookId: webhook, accountId: a.id });
      }
      for (const name of ['succeeded', 'pending', 'failedThenSucceeded', 'failedBefore', 'failedAfter']) {
        const rows = await deliveriesOf(events[name]!, webhook);
        expect(rows.filter((r) => r.status === 'pending').length).toBe(name === 'pending' ? 1 : 0);
        expect(rows.filter((r) => r.resend_of !== null).length).toBe(name === 'failedThenSucceeded' ? 1 : 0);
      }

      const before = await rowCounts(h);
      await recover(a, webhook, window).expect(202, { deliveries: 0 });
      expect(await rowCounts(h)).toEqual(before);
    });

    it('takes until as now when absent', async () => {
      const res = await recover(a, webhook, { since: ago(3) }).expect(202);
      expect(res.body).toEqual({ deliveries: 1 });
      expect((await deliveriesOf(events.failedAfter!, webhook)).at(-1)).toMatchObject({
        status: 'pending',
        attempts: 0,
      });
    });

    it('answers 422 naming the field for a bad window, changing nothing', async () => {
      const before = await rowCounts(h);
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ since: ago(15 * 24), until: ago(0) }, 'since'],
        [{ since: ago(15 * 24) }, 'since'],
        [{ since: ago(2), until: ago(3) }, 'until'],
        [{ since: ago(2), until: ago(2) }, 'until'],
        [{ since: new Date(Date.now() - 31 * DAY_MS).toISOString(), until: ago(30 * 24) }, 'since'],
        [{ since: 'yesterday' }, 'since'],
        [{ since: '2025-13-01T00:00:00Z' }, 'since'],
        [{ since: ago(2), until: 'now' }, 'until'],
        [{ until: ago(2) }, 'since'],
        [{ since: ago(2), extra: true }, 'extra'],
      ];
      for (const [body, field] of cases) {
        const res = await recover(a, webhook, body).expect(422);
        expect(res.body.error).toMatchObject({ code: 'validation_failed' });
        expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
      }
      expect(await rowCounts(h)).toEqual(before);
    });

    it('replays an Idempotency-Key with the first answer', async () => {
      const eventId = await ingest(a, 30);
      await end(eventId, webhook, 'failed');
      const send = () =>
        recover(a, webhook, { since: ago(31), until: ago(29) })
          .set('Idempotency-Key', 'recover-once')
          .expect(202);
      const first = await send();
      expect(first.body).toEqual({ deliveries: 1 });
      const before = await rowCounts(h);
      const again = await send();
      expect(again.body).toEqual({ deliveries: 1 });
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(await rowCounts(h)).toEqual(before);
    });
  });

  it('documents both routes in the OpenAPI document: operation ids, bodies and answers', async () => {
    const { body: doc } = await h.http().get('/docs-json').expect(200);
    const resendOp = doc.paths['/v1/webhooks/{id}/resend'].post;
    const recoverOp = doc.paths['/v1/webhooks/{id}/recover'].post;
    expect([resendOp.operationId, recoverOp.operationId]).toEqual(['resendEvent', 'recoverWebhook']);
    const ref = (op: { requestBody: { content: Record<string, { schema: unknown }> } }) =>
      op.requestBody.content['application/json']!.schema;
    expect([ref(resendOp), ref(recoverOp)]).toEqual([
      { $ref: '#/components/schemas/ResendEventRequest' },
      { $ref: '#/components/schemas/RecoverRequest' },
    ]);
    expect(Object.keys(resendOp.responses)).toEqual(expect.arrayContaining(['202', '404', '409', '422']));
    expect(Object.keys(recoverOp.responses)).toEqual(expect.arrayContaining(['202', '404', '409', '422']));
    const schemas = doc.components.schemas;
    expect(schemas.ResendEventRequest.example).toEqual({ event_id: 'evt_1234567890' });
    expect(schemas.RecoverRequest).toMatchObject({
      required: ['since'],
      properties: { since: { type: 'string' }, until: { type: 'string' } },
    });
    expect(schemas.ResendAccepted.example).toEqual({ delivery_id: expect.stringMatching(/^dlv_/) });
    expect(schemas.RecoverAccepted.properties.deliveries.type).toBe('integer');
  });

  describe('webhook state and tenancy', () => {
    it('answers 409 webhook_disabled on both routes for a disabled webhook, 404 for a deleted one, changing nothing', async () => {
      const webhook = (await createWebhook(h, a, { url: 'https://example.com/off', events: ['message.read'] })).id;
      const eventId = await ingest(a);
      await end(eventId, webhook, 'failed');
      await h
        .http()
        .put(`/v1/webhooks/${webhook}`)
        .set(a.auth)
        .send({ url: 'https://example.com/off', events: ['message.read'], status: 'disabled' })
        .expect(200);
      const before = await rowCounts(h);
      expect((await resend(a, webhook, { event_id: eventId }).expect(409)).body.error.code).toBe('webhook_disabled');
      expect((await recover(a, webhook, { since: ago(24) }).expect(409)).body.error.code).toBe('webhook_disabled');
      expect(await rowCounts(h)).toEqual(before);

      await h.http().delete(`/v1/webhooks/${webhook}`).set(a.auth).expect(204);
      await resend(a, webhook, { event_id: eventId }).expect(404);
      await recover(a, webhook, { since: ago(24) }).expect(404);
    });

    it("answers 404 to another account on both routes and leaves A's deliveries alone", async () => {
      const webhook = (await createWebhook(h, a, { url: 'https://example.com/mine', events: ['message.read'] })).id;
      const eventId = await ingest(a);
      await end(eventId, webhook, 'failed');
      const theirs = (await createWebhook(h, b, { url: 'https://example.com/theirs', events: ['message.read'] })).id;
      const before = await rowCounts(h);
      expect((await resend(b, webhook, { event_id: eventId }).expect(404)).body.error.code).toBe('not_found');
      expect((await recover(b, webhook, { since: ago(24) }).expect(404)).body.error.code).toBe('not_found');
      await h
        .http()
        .post('/v1/webhooks/wh_00000000000000000000000000/resend')
        .set(b.auth)
        .send({ event_id: eventId })
        .expect(404);
      expect(await rowCounts(h)).toEqual(before);
      // B recovering its own webhook never reaches A's failed delivery.
      await recover(b, theirs, { since: ago(24) }).expect(202, { deliveries: 0 });
      expect(await rowCounts(h)).toEqual(before);
    });
  });
});
