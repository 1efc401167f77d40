import { exampleEvents } from '@inbox/events';
import { createAccount, createWebhook, internalAuth, rowCounts, startApi, type Harness, type TestAccount } from './support/harness.js';

type Call = (h: Harness, t: TestAccount, webhookId: string) => PromiseLike<{ status: number; body: { error?: { details?: Array<{ path: string }> } } }>;

const json = { 'Content-Type': 'application/json' };
const webhook = { url: 'https://example.com/hook', events: ['message.read'] };
const action = exampleEvents['message.action'];

function ingest(accountId: string, changes: { created_at?: string; data?: Record<string, unknown> } = {}) {
  return { account_id: accountId, type: action.type, created_at: changes.created_at ?? action.created_at, data: { ...action.data, ...changes.data } };
}

function customData(value: string): Record<string, unknown> {
  return { action_data: { button_id: 'btn_confirm', custom_data: JSON.parse(value) as unknown } };
}

/** Where 16 levels end in `custom_data.deep`: data is the 1st level, `deep` the 4th, the 17th 13 arrays further in. */
const tooDeep = ['data.action_data.custom_data.deep', ...Array<string>(13).fill('0')].join('.');

/** `levels` arrays nested in one another, as JSON text. */
const nestedArrays = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

/**
 * Well-formed requests with values the database or the docs cannot take (each once a 500): a 4xx
 * whose details name the field, and no row changed.
 */
const CASES: Array<[string, Call, number, string[]]> = [
  ['an account name with a NUL', (h) => h.http().post('/internal/v1/accounts').set(internalAuth).send({ name: 'Acme\u0000' }), 422, ['name']],
  ['an account name with an unpaired surrogate', (h) => h.http().post('/internal/v1/accounts').set(internalAuth).set(json).send('{"name":"Acme \\ud800"}'), 422, ['name']],
  ['a webhook url with a NUL', (h, t) => h.http().post('/v1/webhooks').set(t.auth).send({ ...webhook, url: 'https://example.com/x\u0000' }), 422, ['url']],
  ['a webhook description with a NUL', (h, t) => h.http().post('/v1/webhooks').set(t.auth).send({ ...webhook, description: 'a\u0000b' }), 422, ['description']],
  [
    'a webhook description with a NUL, under an Idempotency-Key',
    (h, t) => h.http().post('/v1/webhooks').set(t.auth).set('Idempotency-Key', 'nul-description').send({ ...webhook, description: '\u0000' }),
    422,
    ['description'],
  ],
  ['events of 20 000 items: one error, not one per item', (h, t) => h.http().post('/v1/webhooks').set(t.auth).send({ ...webhook, events: new Array(20_000).fill(1) }), 422, ['events']],
  ['a replaced description with a NUL', (h, t, id) => h.http().put(`/v1/webhooks/${id}`).set(t.auth).send({ ...webhook, description: '\u0000' }), 422, ['description']],
  ['an event created in year 0', (h, t) => h.http().post('/internal/v1/events').set(internalAuth).send(ingest(t.id, { created_at: '0000-01-01T00:00:00Z' })), 422, ['created_at']],
  ['an event created before 1970', (h, t) => h.http().post('/internal/v1/events').set(internalAuth).send(ingest(t.id, { created_at: '1969-12-31T23:59:59Z' })), 422, ['created_at']],
  ['a data timestamp in year 0', (h, t) => h.http().post('/internal/v1/events').set(internalAuth).send(ingest(t.id, { data: { clicked_at: '0000-01-01T00:00:00Z' } })), 422, ['data.clicked_at']],
  ['a batch event created in year 0', (h, t) => h.http().post('/internal/v1/events/batch').set(internalAuth).send({ events: [ingest(t.id), ingest(t.id, { created_at: '0000-01-01T00:00:00Z' })] }), 422, ['events.1.created_at']],
  ['a NUL in data', (h, t) => h.http().post('/internal/v1/events').set(internalAuth).send(ingest(t.id, { data: { action: 'confirm\u0000' } })), 422, ['data.action']],
  ['a NUL deep in custom_data', (h, t) => h.http().post('/internal/v1/events').set(internalAuth).send(ingest(t.id, { data: customData('{"order":{"note":"\\u0000"}}') })), 422, ['data.action_data.custom_data.order.note']],
  ['a NUL in a custom_data key', (h, t) => h.http().post('/internal/v1/events').set(internalAuth).send(ingest(t.id, { data: customData('{"order":{"k\\u0000":1}}') })), 422, ['data.action_data.custom_data.order']],
  ['custom_data nested 100 000 levels deep', (h, t) => h.http().post('/internal/v1/events').set(internalAuth).set(json).send(JSON.stringify(ingest(t.id)).replace('{"order_id":"A-123"}', `{"deep":${nestedArrays(100_000)}}`)), 422, [tooDeep]],
  ['a number too large for JSON (1e400) in data', (h, t) => h.http().post('/internal/v1/events').set(internalAuth).set(json).send(JSON.stringify(ingest(t.id)).replace('"A-123"', '1e400')), 422, ['data.action_data.custom_data.order_id']],
  ['an oversized string in data', (h, t) => h.http().post('/internal/v1/events').set(internalAuth).send(ingest(t.id, { data: { note: 'x'.repeat(8193) } })), 422, ['data.note']],
  ['an oversized array in data', (h, t) => h.http().post('/internal/v1/events').set(internalAuth).send(ingest(t.id, { data: { items: new Array(1001).fill(1) } })), 422, ['data.items']],
  ['logs since year 0', (h, t, id) => h.http().get(`/v1/webhooks/${id}/logs?since=0000-01-01T00:00:00Z`).set(t.auth), 400, ['since']],
  ['logs until a year-0 instant written with an offset', (h, t, id) => h.http().get(`/v1/webhooks/${id}/logs?until=0001-01-01T00:00:00%2B14:00`).set(t.auth), 400, ['until']],
  ['an Idempotency-Key with a non-ASCII character', (h, t) => h.http().post('/v1/webhooks').set(t.auth).set('Idempotency-Key', 'clé').send(webhook), 400, ['Idempotency-Key']],
];

describe('hostile values: a 4xx naming the field, nothing stored', () => {
  let h: Harness;
  let account: TestAccount;
  let webhookId: string;

  beforeAll(async () => {
    h = await startApi('api_hostile_input');
    account = await createAccount(h);
    webhookId = (await createWebhook(h, account)).id;
  });

  afterAll(async () => {
    await h?.close();
  });

  it.each(CASES)('%s', async (_label, call, status, paths) => {
    const before = await rowCounts(h);
    const res = await call(h, account, webhookId);
    expect(res.status).toBe(status);
    expect(res.body.error?.details?.map((d) => d.path)).toEqual(paths);
    // An Idempotency-Key's refusal is stored to be replayed; nothing else changes.
    expect({ ...(await rowCounts(h)), idempotency_keys: 0 }).toEqual({ ...before, idempotency_keys: 0 });
  });

  it('answers a request whose headers are over the parser limit with 431 and the error body', async () => {
    const res = await h.http().get('/v1/webhooks').set(account.auth).set('X-Padding', 'x'.repeat(20_000));
    expect(res.status).toBe(431);
    expect(res.body).toEqual({ error: { code: 'headers_too_large', message: expect.any(String), request_id: res.headers['x-request-id'] } });
  });

  it('still accepts the storable: emoji, accents, control characters other than NUL, and the ends of the time range', async () => {
    await h.http().post('/internal/v1/accounts').set(internalAuth).send({ name: 'Café 😀 \u0001' }).expect(201);
    await h.http().post('/v1/webhooks').set(account.auth).send({ ...webhook, description: 'Ünïcödé 東京 😀' }).expect(201);
    await h.http().post('/internal/v1/events').set(internalAuth).send(ingest(account.id, { created_at: '1970-01-01T00:00:00Z', data: { clicked_at: '9999-12-31T23:59:59Z' } })).expect(202);
    await h.http().get(`/v1/webhooks/${webhookId}/logs?since=1970-01-01T00:00:00Z&until=9999-12-31T23:59:59Z`).set(account.auth).expect(200);
  });
});
