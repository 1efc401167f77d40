import { exampleEvents, MESSAGE_EVENT_TYPES, webhookEventSchema } from '@inbox/events';
import { createAccount, createWebhook, internalAuth, rowCounts, startApi, type Harness, type TestAccount } from './support/harness.js';

const delivered = exampleEvents['message.delivered'];

function event(accountId: string, overrides: Record<string, unknown> = {}) {
  return { account_id: accountId, type: delivered.type, data: structuredClone(delivered.data), ...overrides };
}

describe('event ingest (POST /internal/v1/events)', () => {
  let h: Harness;
  let account: TestAccount;
  let subscribed: string;
  let alsoSubscribed: string;

  beforeAll(async () => {
    h = await startApi('api_ingest');
    account = await createAccount(h);
    subscribed = (await createWebhook(h, account, { url: 'https://example.com/a', events: ['message.delivered', 'message.read'] })).id;
    alsoSubscribed = (await createWebhook(h, account, { url: 'https://example.com/b', events: ['message.delivered'] })).id;
    // Not subscribed to the type, disabled, deleted: none of these get a delivery.
    await createWebhook(h, account, { url: 'https://example.com/c', events: ['message.failed'] });
    const disabled = await createWebhook(h, account, { url: 'https://example.com/d', events: ['message.delivered'] });
    await h.http().put(`/v1/webhooks/${disabled.id}`).set(account.auth).send({ url: 'https://example.com/d', events: ['message.delivered'], status: 'disabled' }).expect(200);
    const deleted = await createWebhook(h, account, { url: 'https://example.com/e', events: ['message.delivered'] });
    await h.http().delete(`/v1/webhooks/${deleted.id}`).set(account.auth).expect(204);
    // Another account's subscribed webhook never gets this account's events.
    const other = await createAccount(h, 'Other');
    await createWebhook(h, other, { url: 'https://example.com/other', events: ['message.delivered'] });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('stores the event, its exact body, one pending delivery per subscribed enabled webhook, and enqueues them', async () => {
    const res = await h.http().post('/internal/v1/events').set(internalAuth).send(event(account.id, { id: 'evt_ingest_1', created_at: '2025-01-15T10:25:03Z' })).expect(202);
    expect(res.body).toEqual({ id: 'evt_ingest_1', deliveries: 2 });

    const { rows: events } = await h.sql.query('SELECT account_id, type, body, created_at FROM events WHERE id = $1', [res.body.id]);
    expect(events).toHaveLength(1);
    expect(events[0].body).toBe(JSON.stringify({ id: 'evt_ingest_1', type: 'message.delivered', created_at: '2025-01-15T10:25:03Z', data: delivered.data }));
    expect(webhookEventSchema.parse(JSON.parse(events[0].body))).toEqual({ ...delivered, id: 'evt_ingest_1' });
    expect(events[0].created_at.toISOString()).toBe('2025-01-15T10:25:03.000Z');

    const { rows: deliveries } = await h.sql.query(
      'SELECT id, webhook_id, account_id, status, attempts, next_attempt_at FROM deliveries WHERE event_id = $1 ORDER BY webhook_id',
      [res.body.id],
    );
    expect(deliveries.map((d) => d.webhook_id).sort()).toEqual([subscribed, alsoSubscribed].sort());
    const priorities: number[] = [];
    for (const d of deliveries) {
      expect(d).toMatchObject({ account_id: account.id, status: 'pending', attempts: 0 });
      expect(Math.abs(d.next_attempt_at.getTime() - Date.now())).toBeLessThan(60_000);
      const job = await h.queue.getJob(d.id);
      expect(job?.id).toBe(d.id);
      expect(job?.data).toEqual({ deliveryId: d.id, webhookId: d.webhook_id, accountId: account.id });
      priorities.push(job!.opts.priority!);
    }
    // Each job takes the next place in its account's line (the first ingest of this file: 1 and 2).
    expect(priorities.sort()).toEqual([1, 2]);
  });

  it('generates an id and created_at when absent', async () => {
    const res = await h.http().post('/internal/v1/events').set(internalAuth).send(event(account.id)).expect(202);
    expect(res.body.id).toMatch(/^evt_[0-9A-Z]{26}$/);
    const { rows } = await h.sql.query('SELECT body FROM events WHERE id = $1', [res.body.id]);
    const body = JSON.parse(rows[0].body);
    expect(body.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Math.abs(Date.parse(body.created_at) - Date.now())).toBeLessThan(60_000);
  });

  it("keeps unknown data fields (the data schemas are open), documented fields first in the docs' order", async () => {
    const data = { device_id: 'dev_1', extra: { nested: [1, 2] }, message_id: 'msg_1', to: '+15551234567', delivered_at: '2025-01-15T10:25:03Z' };
    const res = await h.http().post('/internal/v1/events').set(internalAuth).send({ account_id: account.id, type: 'message.delivered', data }).expect(202);
    const { rows } = await h.sql.query('SELECT body FROM events WHERE id = $1', [res.body.id]);
    expect(rows[0].body).toContain(
      JSON.stringify({ message_id: 'msg_1', to: '+15551234567', delivered_at: '2025-01-15T10:25:03Z', device_id: 'dev_1', extra: { nested: [1, 2] } }),
    );
  });

  it('accepts every example event of the docs', async () => {
    for (const example of MESSAGE_EVENT_TYPES.map((type) => exampleEvents[type])) {
      const res = await h.http().post('/internal/v1/events').set(internalAuth).send({ account_id: account.id, type: example.type, data: example.data, created_at: example.created_at }).expect(202);
      const { rows } = await h.sql.query('SELECT body FROM events WHERE id = $1', [res.body.id]);
      expect(JSON.parse(rows[0].body)).toEqual({ ...example, id: res.body.id });
    }
  });

  it('is idempotent on id: a repeat answers like the first and stores or enqueues nothing new', async () => {
    const body = event(account.id, { id: 'evt_repeat_me' });
    const first = await h.http().post('/internal/v1/events').set(internalAuth).send(body).expect(202);
    const before = await rowCounts(h);
    const jobsBefore = await h.queue.getJobCountByTypes('wait', 'delayed', 'active', 'prioritized');
    const again = await h.http().post('/internal/v1/events').set(internalAuth).send(body).expect(202);
    expect(again.body).toEqual(first.body);
    // Even with different data, the id decides: nothing new.
    const changed = await h.http().post('/internal/v1/events').set(internalAuth).send({ ...body, type: 'message.read', data: exampleEvents['message.read'].data }).expect(202);
    expect(changed.body).toEqual(first.body);
    expect(await rowCounts(h)).toEqual(before);
    expect(await h.queue.getJobCountByTypes('wait', 'delayed', 'active', 'prioritized')).toBe(jobsBefore);
  });

  it("answers 409 when the id is another account's event", async () => {
    const other = await createAccount(h, 'Thief');
    await h.http().post('/internal/v1/events').set(internalAuth).send(event(account.id, { id: 'evt_taken' })).expect(202);
    const before = await rowCounts(h);
    const res = await h.http().post('/internal/v1/events').set(internalAuth).send(event(other.id, { id: 'evt_taken' })).expect(409);
    expect(res.body.error.code).toBe('event_id_conflict');
    expect(await rowCounts(h)).toEqual(before);
  });

  it('answers concurrent requests (micro-batched together) each on its own, storing each id once', async () => {
    const other = await createAccount(h, 'Concurrent other');
    await h.http().post('/internal/v1/events').set(internalAuth).send(event(account.id, { id: 'evt_conc_old' })).expect(202);
    const before = await rowCounts(h);
    const send = (body: object) => h.http().post('/internal/v1/events').set(internalAuth).send(body);
    const fresh = Array.from({ length: 20 }, (_, i) => send(event(account.id, { id: `evt_conc_${i}` })));
    const [twiceA, twiceB, repeat, stolen, unknown, ...rest] = await Promise.all([
      send(event(account.id, { id: 'evt_conc_twice' })),
      send(event(account.id, { id: 'evt_conc_twice' })),
      send(event(account.id, { id: 'evt_conc_old' })),
      send(event(other.id, { id: 'evt_conc_old' })),
      send(event('acct_00000000000000000000000000')),
      ...fresh,
    ]);
    rest.forEach((res, i) => expect([res.status, res.body]).toEqual([202, { id: `evt_conc_${i}`, deliveries: 2 }]));
    expect([twiceA!.status, twiceA!.body]).toEqual([202, { id: 'evt_conc_twice', deliveries: 2 }]);
    expect([twiceB!.status, twiceB!.body]).toEqual([202, { id: 'evt_conc_twice', deliveries: 2 }]);
    expect([repeat!.status, repeat!.body]).toEqual([202, { id: 'evt_conc_old', deliveries: 2 }]);
    expect([stolen!.status, stolen!.body.error.code]).toEqual([409, 'event_id_conflict']);
    expect([unknown!.status, unknown!.body.error.code]).toEqual([422, 'account_not_found']);
    // 21 new events (20 + the one sent twice), 2 deliveries each, and a job for each delivery.
    expect(await rowCounts(h)).toEqual({ ...before, events: before.events! + 21, deliveries: before.deliveries! + 42 });
    const { rows } = await h.sql.query(`SELECT d.id FROM deliveries d WHERE d.event_id LIKE 'evt_conc_%' AND d.event_id <> 'evt_conc_old'`);
    expect(rows).toHaveLength(42);
    for (const { id } of rows) expect((await h.queue.getJob(id))?.id).toBe(id);
  });

  it('refuses a body over 256 KiB with 413', async () => {
    const big = event(account.id, { data: { ...delivered.data, pad: 'x'.repeat(300 * 1024) } });
    const res = await h.http().post('/internal/v1/events').set(internalAuth).send(big).expect(413);
    expect(res.body.error).toEqual({ code: 'payload_too_large', message: 'The request body is larger than 256 KiB', request_id: res.headers['x-request-id'] });
  });

  it('stores an event with no subscribed webhook, with zero deliveries', async () => {
    const lonely = await createAccount(h, 'Lonely');
    const res = await h.http().post('/internal/v1/events').set(internalAuth).send(event(lonely.id)).expect(202);
    expect(res.body.deliveries).toBe(0);
  });

  describe('refuses bad events with a 4xx naming the problem, storing nothing', () => {
    it.each([
      ['an unknown type', (a: string) => event(a, { type: 'message.sent' }), 422, ['type']],
      ['a missing type', (a: string) => ({ account_id: a, data: delivered.data }), 422, ['type']],
      ['missing data fields', (a: string) => event(a, { data: { message_id: 'msg_1' } }), 422, ['data.to', 'data.delivered_at', 'data.device_id']],
      ['ill-typed data fields', (a: string) => event(a, { data: { ...delivered.data, to: 15551234567, delivered_at: 'yesterday' } }), 422, ['data.to', 'data.delivered_at']],
      ['data of another type', (a: string) => event(a, { type: 'message.failed' }), 422, ['data.error_code', 'data.error_message', 'data.failed_at']],
      ['data as an array', (a: string) => event(a, { data: [delivered.data] }), 422, ['data']],
      ['a bad event id', (a: string) => event(a, { id: "evt_' OR 1=1 --" }), 422, ['id']],
      ['an id without the evt_ prefix', (a: string) => event(a, { id: 'wh_123' }), 422, ['id']],
      ['a created_at with an offset', (a: string) => event(a, { created_at: '2025-01-15T10:25:03+01:00' }), 422, ['created_at']],
      ['an unknown top-level field', (a: string) => event(a, { webhook_id: 'wh_1' }), 422, ['webhook_id']],
      ['a malformed account id', () => event("acct_'; DROP TABLE events; --"), 422, ['account_id']],
      ['an unknown account', () => event('acct_00000000000000000000000000'), 422, ['account_id']],
    ])('%s', async (_label, build, status, paths) => {
      const before = await rowCounts(h);
      const res = await h.http().post('/internal/v1/events').set(internalAuth).send(build(account.id)).expect(status);
      expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([...paths].sort());
      expect(await rowCounts(h)).toEqual(before);
    });
  });
});

describe('batch ingest (POST /internal/v1/events/batch)', () => {
  let h: Harness;
  let account: TestAccount;

  beforeAll(async () => {
    h = await startApi('api_ingest_batch');
    account = await createAccount(h);
    await createWebhook(h, account, { url: 'https://example.com/a', events: ['message.delivered', 'message.read'] });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('stores 500 events in one request, each with its deliveries enqueued', async () => {
    const events = Array.from({ length: 500 }, (_, i) => event(account.id, { id: `evt_bulk_${i}` }));
    const res = await h.http().post('/internal/v1/events/batch').set(internalAuth).send({ events }).expect(202);
    expect(res.body.results).toHaveLength(500);
    res.body.results.forEach((r: { index: number; id: string; status: string; deliveries: number }, i: number) =>
      expect(r).toEqual({ index: i, id: `evt_bulk_${i}`, status: 'accepted', deliveries: 1 }),
    );
    const { rows } = await h.sql.query(`SELECT count(*)::int AS n FROM deliveries d JOIN events e ON e.id = d.event_id WHERE e.id LIKE 'evt_bulk_%'`);
    expect(rows[0].n).toBe(500);
    expect(await h.queue.getJobCountByTypes('wait', 'delayed', 'prioritized')).toBeGreaterThanOrEqual(500);
  });

  it('accepts 500 events of ~1 KB each: past the 256 KiB of other routes, within its own 4 MiB', async () => {
    const data = { ...delivered.data, note: 'x'.repeat(850) };
    const events = Array.from({ length: 500 }, (_, i) => event(account.id, { id: `evt_kb_${i}`, data }));
    const body = JSON.stringify({ events });
    expect(body.length / events.length).toBeGreaterThan(1000);
    expect(body.length).toBeGreaterThan(256 * 1024);
    const res = await h.http().post('/internal/v1/events/batch').set(internalAuth).set('Content-Type', 'application/json').send(body).expect(202);
    expect(res.body.results).toHaveLength(500);
    expect(res.body.results.every((r: { status: string }) => r.status === 'accepted')).toBe(true);
    const { rows } = await h.sql.query(`SELECT count(*)::int AS n FROM events WHERE id LIKE 'evt_kb_%'`);
    expect(rows[0].n).toBe(500);
  });

  it('refuses a batch body over 4 MiB with 413, and holds a caller without the service token to 256 KiB', async () => {
    const huge = JSON.stringify({ events: [event(account.id, { data: { ...delivered.data, pad: 'x'.repeat(4 * 1024 * 1024) } })] });
    const res = await h.http().post('/internal/v1/events/batch').set(internalAuth).set('Content-Type', 'application/json').send(huge).expect(413);
    expect(res.body.error).toEqual({ code: 'payload_too_large', message: 'The request body is larger than 4 MiB', request_id: res.headers['x-request-id'] });
    const midsize = JSON.stringify({ events: [event(account.id, { data: { ...delivered.data, pad: 'x'.repeat(300 * 1024) } })] });
    const anonymous = await h.http().post('/internal/v1/events/batch').set('Content-Type', 'application/json').send(midsize).expect(413);
    expect(anonymous.body.error.message).toBe('The request body is larger than 256 KiB');
    const wrongToken = await h.http().post('/internal/v1/events/batch').set('Authorization', 'Bearer not-the-service-token').set('Content-Type', 'application/json').send(midsize);
    expect(wrongToken.status).toBe(413);
  });

  it('reports accepted, duplicate and rejected items', async () => {
    const other = await createAccount(h, 'Other');
    await h.http().post('/internal/v1/events').set(internalAuth).send(event(account.id, { id: 'evt_seen_before' })).expect(202);
    await h.http().post('/internal/v1/events').set(internalAuth).send(event(other.id, { id: 'evt_others' })).expect(202);
    const res = await h
      .http()
      .post('/internal/v1/events/batch')
      .set(internalAuth)
      .send({ events: [event(account.id, { id: 'evt_fresh' }), event(account.id, { id: 'evt_seen_before' }), event(account.id, { id: 'evt_others' }), event(account.id, { type: 'message.failed', data: exampleEvents['message.failed'].data })] })
      .expect(202);
    expect(res.body.results).toEqual([
      { index: 0, id: 'evt_fresh', status: 'accepted', deliveries: 1 },
      { index: 1, id: 'evt_seen_before', status: 'duplicate', deliveries: 1 },
      { index: 2, id: 'evt_others', status: 'rejected', error: { code: 'event_id_conflict', message: expect.any(String) } },
      { index: 3, id: expect.stringMatching(/^evt_/), status: 'accepted', deliveries: 0 },
    ]);
  });

  it('rejects the whole batch when any item is invalid, naming each, and stores nothing', async () => {
    const before = await rowCounts(h);
    const res = await h
      .http()
      .post('/internal/v1/events/batch')
      .set(internalAuth)
      .send({ events: [event(account.id), event(account.id, { type: 'nope' }), event(account.id), event(account.id, { data: { ...delivered.data, to: 'x' } })] })
      .expect(422);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(['events.1.type', 'events.3.data.to']);
    expect(await rowCounts(h)).toEqual(before);
  });

  it('rejects a batch naming the same id twice, or an unknown account', async () => {
    const before = await rowCounts(h);
    const twice = await h.http().post('/internal/v1/events/batch').set(internalAuth).send({ events: [event(account.id, { id: 'evt_x' }), event(account.id, { id: 'evt_x' })] }).expect(422);
    expect(twice.body.error.details).toEqual([{ path: 'events.1.id', message: expect.stringContaining('events.0') }]);
    const unknown = await h.http().post('/internal/v1/events/batch').set(internalAuth).send({ events: [event(account.id), event('acct_00000000000000000000000000')] }).expect(422);
    expect(unknown.body.error).toMatchObject({ code: 'account_not_found', details: [{ path: 'events.1.account_id' }] });
    expect(await rowCounts(h)).toEqual(before);
  });

  it('takes 1 to 500 events', async () => {
    await h.http().post('/internal/v1/events/batch').set(internalAuth).send({ events: [] }).expect(422);
    const tooMany = Array.from({ length: 501 }, () => ({ account_id: account.id, type: 'message.read', data: {} }));
    const res = await h.http().post('/internal/v1/events/batch').set(internalAuth).send({ events: tooMany }).expect(422);
    expect(res.body.error.details[0].path).toBe('events');
    await h.http().post('/internal/v1/events/batch').set(internalAuth).send({ events: event(account.id) }).expect(422);
    await h.http().post('/internal/v1/events/batch').set(internalAuth).send([event(account.id)]).expect(422);
  });
});
