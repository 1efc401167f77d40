import { exampleEvents } from '@inbox/events';
import { createAccount, createWebhook, internalAuth, rowCounts, startApi, type Harness, type TestAccount } from './support/harness.js';

const BODY = { url: 'https://example.com/hook', events: ['message.read', 'webhook.disabled'] };

/**
 * The API's side of auto-disable: `disabled_reason` and `disabled_at` on every webhook answer, what
 * PUT `status` does to them (and to the failure streak the dispatcher keeps), `webhook.disabled`
 * as an event type customers subscribe to and test, and that services cannot ingest it.
 */
describe('webhook disabled_reason and webhook.disabled (API)', () => {
  let h: Harness;
  let account: TestAccount;

  beforeAll(async () => {
    h = await startApi('api_webhook_disable');
    account = await createAccount(h);
  });

  afterAll(async () => {
    await h?.close();
  });

  const put = (id: string, body: Record<string, unknown>, who = account) => h.http().put(`/v1/webhooks/${id}`).set(who.auth).send({ ...BODY, ...body });

  it('shows disabled_reason and disabled_at, null while enabled, in create, get, list and PUT answers', async () => {
    const created = await createWebhook(h, account, BODY);
    expect(created).toMatchObject({ status: 'enabled', disabled_reason: null, disabled_at: null, events: ['message.read', 'webhook.disabled'] });
    expect((await h.http().get(`/v1/webhooks/${created.id}`).set(account.auth).expect(200)).body).toMatchObject({ disabled_reason: null, disabled_at: null });
    const listed = (await h.http().get('/v1/webhooks').set(account.auth).expect(200)).body.data.find((w: { id: string }) => w.id === created.id);
    expect(listed).toMatchObject({ disabled_reason: null, disabled_at: null });
    expect((await put(created.id, { description: 'renamed' }).expect(200)).body).toMatchObject({ status: 'enabled', disabled_reason: null, disabled_at: null });
  });

  it('disabling by PUT gives reason manual and the time; enabling clears both and the failure streak', async () => {
    const { id } = await createWebhook(h, account, BODY);
    const before = Date.now();
    const off = (await put(id, { status: 'disabled' }).expect(200)).body;
    expect(off).toMatchObject({ status: 'disabled', disabled_reason: 'manual' });
    expect(Date.parse(off.disabled_at)).toBeGreaterThanOrEqual(before - 5_000);
    // Disabled again, or left out: the reason and time stay.
    expect((await put(id, { status: 'disabled' }).expect(200)).body).toMatchObject({ disabled_reason: 'manual', disabled_at: off.disabled_at });
    expect((await put(id, {}).expect(200)).body).toMatchObject({ status: 'disabled', disabled_at: off.disabled_at });

    const on = (await put(id, { status: 'enabled' }).expect(200)).body;
    expect(on).toMatchObject({ status: 'enabled', disabled_reason: null, disabled_at: null });
    const { rows } = await h.sql.query('SELECT failing_since, disabled_notice_pending FROM webhooks WHERE id = $1', [id]);
    expect(rows[0]).toEqual({ failing_since: null, disabled_notice_pending: false });
  });

  it('shows why the platform disabled a webhook, and re-enabling it resets the streak', async () => {
    const { id } = await createWebhook(h, account, BODY);
    // As the dispatcher leaves it after a 410 Gone.
    await h.sql.query(
      `UPDATE webhooks SET status = 'disabled', disabled_reason = 'gone', disabled_at = '2025-01-20T10:30:00.123Z', failing_since = '2025-01-20T10:29:00Z' WHERE id = $1`,
      [id],
    );
    const got = (await h.http().get(`/v1/webhooks/${id}`).set(account.auth).expect(200)).body;
    expect(got).toMatchObject({ status: 'disabled', disabled_reason: 'gone', disabled_at: '2025-01-20T10:30:00.123Z' });
    // A test event to it is refused while it is disabled.
    expect((await h.http().post('/v1/webhooks/test').set(account.auth).send({ webhook_id: id, event_type: 'webhook.disabled' }).expect(409)).body.error.code).toBe('webhook_disabled');

    expect((await put(id, { status: 'enabled' }).expect(200)).body).toMatchObject({ status: 'enabled', disabled_reason: null, disabled_at: null });
    const { rows } = await h.sql.query('SELECT failing_since FROM webhooks WHERE id = $1', [id]);
    expect(rows[0].failing_since).toBeNull();
  });

  it('holds what a webhook the platform disabled misses, and recover after re-enabling sends it', async () => {
    const other = await createAccount(h, 'Held Inc');
    const { id } = await createWebhook(h, other, BODY);
    const manual = await createWebhook(h, other, BODY);
    await h.sql.query(`UPDATE webhooks SET status = 'disabled', disabled_reason = 'failing', disabled_at = now() WHERE id = $1`, [id]);
    await put(manual.id, { status: 'disabled' }, other).expect(200);
    const ingested = await h.http().post('/internal/v1/events').set(internalAuth).send({ account_id: other.id, type: 'message.read', data: exampleEvents['message.read'].data }).expect(202);
    // Held for the auto-disabled webhook: stored failed, never queued. A webhook disabled by hand gets nothing.
    const held = await h.sql.query('SELECT webhook_id, status, next_attempt_at FROM deliveries WHERE event_id = $1', [ingested.body.id]);
    expect(held.rows).toEqual([{ webhook_id: id, status: 'failed', next_attempt_at: null }]);
    expect(await h.queue.getJobCounts('waiting', 'delayed', 'prioritized')).toEqual({ waiting: 0, delayed: 0, prioritized: 0 });

    const disabledAt = (await h.http().get(`/v1/webhooks/${id}`).set(other.auth).expect(200)).body.disabled_at as string;
    await put(id, { status: 'enabled' }, other).expect(200);
    const since = new Date(Date.parse(disabledAt) - 1_000).toISOString();
    expect((await h.http().post(`/v1/webhooks/${id}/recover`).set(other.auth).send({ since }).expect(202)).body).toEqual({ deliveries: 1 });
    const sent = await h.sql.query(`SELECT status FROM deliveries WHERE event_id = $1 AND webhook_id = $2 AND resend_of IS NOT NULL`, [ingested.body.id, id]);
    expect(sent.rows).toEqual([{ status: 'pending' }]);
  });

  it("another account's webhook is 404 and keeps its state", async () => {
    const other = await createAccount(h, 'Globex');
    const theirs = await createWebhook(h, other, BODY);
    await put(theirs.id, { status: 'disabled' }, other).expect(200);
    const before = await rowCounts(h);
    expect((await put(theirs.id, { status: 'enabled' }).expect(404)).body.error.code).toBe('not_found');
    await h.http().get(`/v1/webhooks/${theirs.id}`).set(account.auth).expect(404);
    expect(await rowCounts(h)).toEqual(before);
    expect((await h.http().get(`/v1/webhooks/${theirs.id}`).set(other.auth).expect(200)).body).toMatchObject({ status: 'disabled', disabled_reason: 'manual' });
  });

  it('takes webhook.disabled in events, and sends its example as a test event', async () => {
    const { id } = await createWebhook(h, account, { url: 'https://example.com/ops', events: ['webhook.disabled'] });
    const res = await h.http().post('/v1/webhooks/test').set(account.auth).send({ webhook_id: id, event_type: 'webhook.disabled' }).expect(202);
    const { rows } = await h.sql.query('SELECT type, body FROM events WHERE id = $1', [res.body.event_id]);
    expect(rows[0].type).toBe('webhook.disabled');
    expect(JSON.parse(rows[0].body)).toEqual({ id: res.body.event_id, type: 'webhook.disabled', created_at: expect.any(String), data: exampleEvents['webhook.disabled'].data });
  });

  it('refuses webhook.disabled from internal services, alone or in a batch, storing nothing', async () => {
    await createWebhook(h, account, { url: 'https://example.com/ops2', events: ['webhook.disabled'] });
    const disabled = { account_id: account.id, type: 'webhook.disabled', data: exampleEvents['webhook.disabled'].data };
    const read = { account_id: account.id, type: 'message.read', data: exampleEvents['message.read'].data };
    const before = await rowCounts(h);
    const one = await h.http().post('/internal/v1/events').set(internalAuth).send(disabled).expect(422);
    expect(one.body.error.details).toEqual([{ path: 'type', message: 'type webhook.disabled is sent by Inbox itself; services send only message.delivered, message.read, message.failed, message.action' }]);
    const batch = await h.http().post('/internal/v1/events/batch').set(internalAuth).send({ events: [read, disabled] }).expect(422);
    expect(batch.body.error.details.map((d: { path: string }) => d.path)).toEqual(['events.1.type']);
    expect(await rowCounts(h)).toEqual(before);
  });
});
