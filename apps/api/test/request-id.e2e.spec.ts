import { createAccount, internalAuth, startApi, type Harness, type TestAccount } from './support/harness.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('X-Request-Id: on every answer, in every error body', () => {
  let h: Harness;
  let account: TestAccount;

  beforeAll(async () => {
    h = await startApi('api_request_id');
    account = await createAccount(h);
  });

  afterAll(async () => {
    await h?.close();
  });

  it('echoes a well-formed id the caller sent, on a success and in an error body', async () => {
    const ok = await h.http().get('/v1/webhooks').set(account.auth).set('X-Request-Id', 'client-req_1:a.b').expect(200);
    expect(ok.headers['x-request-id']).toBe('client-req_1:a.b');
    const supplied = 'r'.repeat(128);
    const missing = await h.http().get('/v1/webhooks/wh_01JD0Y6J6R8Z3Q4W5E6R7T8Y9U').set(account.auth).set('X-Request-Id', supplied).expect(404);
    expect([missing.headers['x-request-id'], missing.body.error.request_id]).toEqual([supplied, supplied]);
  });

  it.each([
    ['too long', 'r'.repeat(129)],
    ['with a space', 'two words'],
    ['with markup', '<script>'],
    ['with a newline escape', 'a%0d%0ab'],
  ])('replaces a malformed id (%s) with a generated one', async (_label, bad) => {
    const res = await h.http().get('/v1/webhooks').set(account.auth).set('X-Request-Id', bad).expect(200);
    expect(res.headers['x-request-id']).toMatch(UUID);
  });

  it('generates a fresh id for each request that sent none', async () => {
    const [a, b] = await Promise.all([h.http().get('/v1/webhooks').set(account.auth), h.http().get('/v1/webhooks').set(account.auth)]);
    expect(a.headers['x-request-id']).toMatch(UUID);
    expect(b.headers['x-request-id']).toMatch(UUID);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
  });

  it.each([
    ['an unknown route', (t: Harness) => t.http().get('/v1/nowhere'), 404],
    ["the router's own refusal (bad percent-encoding)", (t: Harness) => t.http().get('/v1/webhooks/%E0%A4%A'), 400],
    ['no credentials', (t: Harness) => t.http().get('/v1/webhooks'), 401],
    ['an invalid body', (t: Harness) => t.http().post('/internal/v1/accounts').set(internalAuth).send({ name: 7 }), 422],
  ])('names the request on %s, header and body alike', async (_label, call, status) => {
    const res = await call(h).set('X-Request-Id', `case-${status}`);
    expect([res.status, res.headers['x-request-id'], res.body.error.request_id]).toEqual([status, `case-${status}`, `case-${status}`]);
  });
});
