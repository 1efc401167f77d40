import { createAccount, createWebhook, internalAuth, rowCounts, startApi, type Harness, type TestAccount } from './support/harness.js';

type Call = (h: Harness, t: TestAccount, webhookId: string) => Promise<{ status: number; body: unknown; headers: Record<string, string> }>;

const json = { 'Content-Type': 'application/json' };
const valid = { url: 'https://example.com/hook', events: ['message.delivered'] };
const INJECTIONS = ["' OR 1=1 --", "'; DROP TABLE webhooks; --", '../../etc/passwd', '%00', 'wh_%2e%2e%2f', '💥', 'wh_😀', '<script>alert(1)</script>', '${jndi:ldap://x}', 'wh_' + 'A'.repeat(5000)];

/** 40+ malformed requests: every one must get a 4xx with the error body and change nothing. */
const CASES: Array<[string, Call]> = [
  ['truncated JSON', (h, t) => h.http().post('/v1/webhooks').set(t.auth).set(json).send('{"url": ')],
  ['JSON with a trailing comma', (h, t) => h.http().post('/v1/webhooks').set(t.auth).set(json).send('{"url": "https://example.com", }')],
  ['single-quoted JSON', (h, t) => h.http().post('/v1/webhooks').set(t.auth).set(json).send("{'url': 'https://example.com'}")],
  ['a bare string body', (h, t) => h.http().post('/v1/webhooks').set(t.auth).set(json).send('"https://example.com"')],
  ['a null body', (h, t) => h.http().post('/v1/webhooks').set(t.auth).set(json).send('null')],
  ['an array body', (h, t) => h.http().post('/v1/webhooks').set(t.auth).send([valid])],
  ['an empty object', (h, t) => h.http().post('/v1/webhooks').set(t.auth).send({})],
  ['no body at all', (h, t) => h.http().post('/v1/webhooks').set(t.auth)],
  ['a text/plain body', (h, t) => h.http().post('/v1/webhooks').set(t.auth).set('Content-Type', 'text/plain').send(JSON.stringify(valid))],
  ['a body over 256 KiB', (h, t) => h.http().post('/v1/webhooks').set(t.auth).set(json).send(JSON.stringify({ ...valid, description: 'x'.repeat(300 * 1024) }))],
  ['an ingest body over 256 KiB', (h) => h.http().post('/internal/v1/events/batch').set(internalAuth).set(json).send(JSON.stringify({ events: [], pad: 'x'.repeat(300 * 1024) }))],
  ['url as an object', (h, t) => h.http().post('/v1/webhooks').set(t.auth).send({ ...valid, url: { href: 'https://example.com' } })],
  ['url as an array', (h, t) => h.http().post('/v1/webhooks').set(t.auth).send({ ...valid, url: ['https://example.com'] })],
  ['url as null', (h, t) => h.http().post('/v1/webhooks').set(t.auth).send({ ...valid, url: null })],
  ['a javascript: url', (h, t) => h.http().post('/v1/webhooks').set(t.auth).send({ ...valid, url: 'javascript:alert(1)' })],
  ['a file: url', (h, t) => h.http().post('/v1/webhooks').set(t.auth).send({ ...valid, url: 'file:///etc/passwd' })],
  ['an injection string as url', (h, t) => h.http().post('/v1/webhooks').set(t.auth).send({ ...valid, url: "' OR 1=1 --" })],
  ['events as an object', (h, t) => h.http().post('/v1/webhooks').set(t.auth).send({ ...valid, events: { 0: 'message.read' } })],
  ['events with a number', (h, t) => h.http().post('/v1/webhooks').set(t.auth).send({ ...valid, events: [1] })],
  ['events with nested arrays', (h, t) => h.http().post('/v1/webhooks').set(t.auth).send({ ...valid, events: [['message.read']] })],
  ['an event type with unicode lookalikes', (h, t) => h.http().post('/v1/webhooks').set(t.auth).send({ ...valid, events: ['mеssage.read'] })],
  ['an injection string as an event type', (h, t) => h.http().post('/v1/webhooks').set(t.auth).send({ ...valid, events: ["message.read' OR '1'='1"] })],
  ['description as a huge number', (h, t) => h.http().post('/v1/webhooks').set(t.auth).set(json).send(`{"url":"https://example.com/hook","events":["message.read"],"description":123456789012345678901234567890}`)],
  ['a status on create', (h, t) => h.http().post('/v1/webhooks').set(t.auth).send({ ...valid, status: 'disabled' })],
  ['PUT with an array body', (h, t, id) => h.http().put(`/v1/webhooks/${id}`).set(t.auth).send([valid])],
  ['PUT with a bad status', (h, t, id) => h.http().put(`/v1/webhooks/${id}`).set(t.auth).send({ ...valid, status: 'DROP TABLE' })],
  ['PUT with broken JSON', (h, t, id) => h.http().put(`/v1/webhooks/${id}`).set(t.auth).set(json).send('{')],
  ['PUT without events', (h, t, id) => h.http().put(`/v1/webhooks/${id}`).set(t.auth).send({ url: valid.url })],
  ...INJECTIONS.map((bad): [string, Call] => [`GET a webhook by id ${bad.slice(0, 30)}`, (h, t) => h.http().get(`/v1/webhooks/${encodeURIComponent(bad)}`).set(t.auth)]),
  ['DELETE with an injection id', (h, t) => h.http().delete(`/v1/webhooks/${encodeURIComponent("' OR 1=1 --")}`).set(t.auth)],
  ['PUT with an injection id', (h, t) => h.http().put(`/v1/webhooks/${encodeURIComponent("wh_1' OR '1'='1")}`).set(t.auth).send(valid)],
  ['logs with an injection id', (h, t) => h.http().get(`/v1/webhooks/${encodeURIComponent('1; DELETE FROM attempts')}/logs`).set(t.auth)],
  ['an event by injection id', (h, t) => h.http().get(`/v1/events/${encodeURIComponent("evt_' OR ''='")}`).set(t.auth)],
  ['a path with bad percent-encoding', (h, t) => h.http().get('/v1/webhooks/%E0%A4%A').set(t.auth)],
  ['limit as an injection', (h, t) => h.http().get(`/v1/webhooks?limit=${encodeURIComponent('1; DROP TABLE webhooks')}`).set(t.auth)],
  ['a huge limit', (h, t) => h.http().get(`/v1/webhooks?limit=${'9'.repeat(400)}`).set(t.auth)],
  ['a negative limit', (h, t) => h.http().get('/v1/webhooks?limit=-5').set(t.auth)],
  ['limit twice', (h, t) => h.http().get('/v1/webhooks?limit=1&limit=2').set(t.auth)],
  ['limit as a nested object', (h, t) => h.http().get('/v1/webhooks?limit[$gt]=1').set(t.auth)],
  ['a cursor with an injection', (h, t) => h.http().get(`/v1/webhooks?cursor=${encodeURIComponent("' OR 1=1 --")}`).set(t.auth)],
  ['a cursor with a path', (h, t) => h.http().get('/v1/webhooks?cursor=..%2F..%2Fetc%2Fpasswd').set(t.auth)],
  ['a cursor of unicode', (h, t) => h.http().get(`/v1/webhooks?cursor=${encodeURIComponent('💥💥💥')}`).set(t.auth)],
  ['a very long cursor', (h, t) => h.http().get(`/v1/webhooks?cursor=${'A'.repeat(4000)}`).set(t.auth)],
  ['logs with an injection status', (h, t, id) => h.http().get(`/v1/webhooks/${id}/logs?status=${encodeURIComponent("failed' OR '1'='1")}`).set(t.auth)],
  ['logs with a huge since', (h, t, id) => h.http().get(`/v1/webhooks/${id}/logs?since=${'9'.repeat(300)}`).set(t.auth)],
  ['logs with since as an array', (h, t, id) => h.http().get(`/v1/webhooks/${id}/logs?since=2025-01-01T00:00:00Z&since=2025-01-02T00:00:00Z`).set(t.auth)],
  ['test with an injection webhook id', (h, t) => h.http().post('/v1/webhooks/test').set(t.auth).send({ webhook_id: "wh_1' OR 1=1 --", event_type: 'message.read' })],
  ['test with webhook_id as an array', (h, t, id) => h.http().post('/v1/webhooks/test').set(t.auth).send({ webhook_id: [id], event_type: 'message.read' })],
  ['test with event_type as a number', (h, t, id) => h.http().post('/v1/webhooks/test').set(t.auth).send({ webhook_id: id, event_type: 7 })],
  ['test with a path-traversal webhook id', (h, t) => h.http().post('/v1/webhooks/test').set(t.auth).send({ webhook_id: '../../../etc/passwd', event_type: 'message.read' })],
  ['ingest with data as a string', (h, t) => h.http().post('/internal/v1/events').set(internalAuth).send({ account_id: t.id, type: 'message.read', data: '{}' })],
  ['ingest with a huge number in data', (h, t) => h.http().post('/internal/v1/events').set(internalAuth).set(json).send(`{"account_id":"${t.id}","type":"message.read","data":{"message_id":"msg_1","to":1e999,"read_at":"2025-01-15T10:25:15Z","device_id":"dev_1"}}`)],
  ['ingest with an injection account id', (h) => h.http().post('/internal/v1/events').set(internalAuth).send({ account_id: "acct_x' OR '1'='1", type: 'message.read', data: {} })],
  ['ingest with created_at in 10000', (h, t) => h.http().post('/internal/v1/events').set(internalAuth).send({ account_id: t.id, type: 'message.read', data: {}, created_at: '10000-01-01T00:00:00Z' })],
  ['ingest as an array', (h, t) => h.http().post('/internal/v1/events').set(internalAuth).send([{ account_id: t.id, type: 'message.read', data: {} }])],
  ['batch with events as a string', (h) => h.http().post('/internal/v1/events/batch').set(internalAuth).send({ events: 'all of them' })],
  ['an account name as an object', (h) => h.http().post('/internal/v1/accounts').set(internalAuth).send({ name: { first: 'A' } })],
  ['an account with extra fields', (h) => h.http().post('/internal/v1/accounts').set(internalAuth).send({ name: 'A', id: 'acct_mine' })],
  ['keys for an injection account id', (h) => h.http().post(`/internal/v1/accounts/${encodeURIComponent("acct_' OR 1=1 --")}/keys`).set(internalAuth)],
  ['an unknown route', (h, t) => h.http().get('/v1/webhookz').set(t.auth)],
  ['an unknown internal route', (h) => h.http().get('/internal/v1/secrets').set(internalAuth)],
  ['a method that does not exist on a route', (h, t) => h.http().patch('/v1/webhooks').set(t.auth).send(valid)],
  ['an idempotency key that is too long', (h, t) => h.http().post('/v1/webhooks').set(t.auth).set('Idempotency-Key', 'k'.repeat(300)).send(valid)],
];

describe('malformed requests: 4xx with the error body, nothing changed', () => {
  let h: Harness;
  let account: TestAccount;
  let webhookId: string;

  beforeAll(async () => {
    h = await startApi('api_malformed');
    account = await createAccount(h);
    webhookId = (await createWebhook(h, account)).id;
  });

  afterAll(async () => {
    await h?.close();
  });

  it('has at least 40 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(CASES)('%s', async (_label, call) => {
    const before = await rowCounts(h);
    const res = await call(h, account, webhookId);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body).toEqual({ error: expect.objectContaining({ code: expect.any(String), message: expect.any(String), request_id: expect.any(String) }) });
    expect(res.headers['x-request-id']).toBe((res.body as { error: { request_id: string } }).error.request_id);
    expect(await rowCounts(h)).toEqual(before);
    // The webhook the malformed requests aimed at is untouched.
    const { rows } = await h.sql.query('SELECT url, events, status, deleted_at FROM webhooks WHERE id = $1', [webhookId]);
    expect(rows[0]).toEqual({ url: valid.url, events: valid.events, status: 'enabled', deleted_at: null });
  });

  it('drops a __proto__ key (no prototype pollution) and stores only the known fields', async () => {
    const res = await h
      .http()
      .post('/v1/webhooks')
      .set(account.auth)
      .set(json)
      .send('{"url":"https://example.com/proto","events":["message.read"],"__proto__":{"admin":true}}')
      .expect(201);
    expect(res.body).not.toHaveProperty('admin');
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    await h.http().delete(`/v1/webhooks/${res.body.id}`).set(account.auth).expect(204);
  });

  it('never answers with a stack trace or SQL', async () => {
    const res = await h.http().get(`/v1/webhooks/${encodeURIComponent("' OR 1=1 --")}`).set(account.auth);
    expect(JSON.stringify(res.body)).not.toMatch(/SELECT|stack|at \w+ \(/i);
  });
});
