import { exampleEvents } from '@inbox/events';
import { recordAttempt } from './support/attempts.js';
import { createAccount, createWebhook, internalAuth, rowCounts, startApi, type Harness, type TestAccount, withoutRequestId } from './support/harness.js';

describe("tenancy: account B never sees or touches account A's resources", () => {
  let h: Harness;
  let a: TestAccount;
  let b: TestAccount;
  let webhookA: string;
  let eventA: string;

  beforeAll(async () => {
    h = await startApi('api_tenancy');
    a = await createAccount(h, 'A');
    b = await createAccount(h, 'B');
    webhookA = (await createWebhook(h, a, { url: 'https://example.com/a', events: ['message.delivered'] })).id;
    await createWebhook(h, b, { url: 'https://example.com/b', events: ['message.delivered'] });
    const ingested = await h.http().post('/internal/v1/events').set(internalAuth).send({ account_id: a.id, type: 'message.delivered', data: exampleEvents['message.delivered'].data }).expect(202);
    eventA = ingested.body.id;
    const { rows } = await h.sql.query('SELECT id FROM deliveries WHERE event_id = $1', [eventA]);
    await recordAttempt(h, { deliveryId: rows[0].id, statusCode: 500, deliveryStatus: 'pending', nextAttemptAt: new Date() });
  });

  afterAll(async () => {
    await h?.close();
  });

  const routes: Array<[string, (t: TestAccount) => Promise<{ status: number; body: { error?: { code: string } } }>]> = [
    ['GET /v1/webhooks/{id}', (t) => h.http().get(`/v1/webhooks/${webhookA}`).set(t.auth)],
    ['PUT /v1/webhooks/{id}', (t) => h.http().put(`/v1/webhooks/${webhookA}`).set(t.auth).send({ url: 'https://evil.example/steal', events: ['message.read'] })],
    ['DELETE /v1/webhooks/{id}', (t) => h.http().delete(`/v1/webhooks/${webhookA}`).set(t.auth)],
    ['GET /v1/webhooks/{id}/secret', (t) => h.http().get(`/v1/webhooks/${webhookA}/secret`).set(t.auth)],
    ['POST /v1/webhooks/{id}/secret/rotate', (t) => h.http().post(`/v1/webhooks/${webhookA}/secret/rotate`).set(t.auth).send({ expire_in_seconds: 0 })],
    ['GET /v1/webhooks/{id}/logs', (t) => h.http().get(`/v1/webhooks/${webhookA}/logs`).set(t.auth)],
    ['POST /v1/webhooks/test', (t) => h.http().post('/v1/webhooks/test').set(t.auth).send({ webhook_id: webhookA, event_type: 'message.delivered' })],
    ['GET /v1/events/{id}', (t) => h.http().get(`/v1/events/${eventA}`).set(t.auth)],
    ['POST /v1/webhooks/{id}/resend', (t) => h.http().post(`/v1/webhooks/${webhookA}/resend`).set(t.auth).send({ event_id: eventA })],
    ['POST /v1/webhooks/{id}/recover', (t) => h.http().post(`/v1/webhooks/${webhookA}/recover`).set(t.auth).send({ since: new Date(Date.now() - 3_600_000).toISOString() })],
  ];

  it.each(routes)('%s answers 404 to B and changes nothing', async (_route, call) => {
    const before = await rowCounts(h);
    const res = await call(b);
    expect(res.status).toBe(404);
    expect(res.body.error?.code).toBe('not_found');
    expect(await rowCounts(h)).toEqual(before);
  });

  it('answers the same 404 for an id that exists nowhere (no existence oracle)', async () => {
    const theirs = await h.http().get(`/v1/webhooks/${webhookA}`).set(b.auth).expect(404);
    const nobody = await h.http().get('/v1/webhooks/wh_00000000000000000000000000').set(b.auth).expect(404);
    expect(withoutRequestId(theirs.body)).toEqual(withoutRequestId(nobody.body)); // each names its own request
  });

  it("keeps A's webhook out of B's lists and B's out of A's", async () => {
    const listB = await h.http().get('/v1/webhooks').set(b.auth).expect(200);
    expect(listB.body.data.map((w: { id: string }) => w.id)).not.toContain(webhookA);
    expect(listB.body.data).toHaveLength(1);
    const listA = await h.http().get('/v1/webhooks').set(a.auth).expect(200);
    expect(listA.body.data.map((w: { id: string }) => w.id)).toEqual([webhookA]);
  });

  it("leaves A's webhook as it was, and A can still use every route", async () => {
    const got = await h.http().get(`/v1/webhooks/${webhookA}`).set(a.auth).expect(200);
    expect(got.body).toMatchObject({ url: 'https://example.com/a', events: ['message.delivered'], status: 'enabled' });
    await h.http().get(`/v1/webhooks/${webhookA}/secret`).set(a.auth).expect(200);
    const logs = await h.http().get(`/v1/webhooks/${webhookA}/logs`).set(a.auth).expect(200);
    expect(logs.body.data).toHaveLength(1);
    await h.http().get(`/v1/events/${eventA}`).set(a.auth).expect(200);
    await h.http().post('/v1/webhooks/test').set(a.auth).send({ webhook_id: webhookA, event_type: 'message.read' }).expect(202);
  });

  it("does not deliver A's events to B's webhooks", async () => {
    const { rows } = await h.sql.query('SELECT DISTINCT d.account_id FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.event_id = $1', [eventA]);
    expect(rows).toEqual([{ account_id: a.id }]);
  });
});
