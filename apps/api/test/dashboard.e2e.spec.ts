import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleEvents } from '@inbox/events';
import { recordAttempt } from './support/attempts.js';
import { createAccount, createWebhook, internalAuth, INTERNAL_TOKEN, startApi, type Harness, type TestAccount } from './support/harness.js';

const CSRF = { 'X-Inbox-CSRF': '1' };

/** The session cookie's `name=value` from a sign-in answer, and its attributes. */
function sessionCookie(res: { headers: Record<string, unknown> }): { pair: string; attributes: string[] } {
  const header = ([] as string[]).concat((res.headers['set-cookie'] as string[] | string | undefined) ?? []).find((c) => c.startsWith('inbox_session='));
  if (!header) throw new Error(`no inbox_session cookie in ${JSON.stringify(res.headers['set-cookie'])}`);
  const [pair, ...attributes] = header.split(/;\s*/);
  return { pair: pair!, attributes: attributes.map((a) => a.toLowerCase()) };
}

describe('dashboard sessions: an API key in, an httpOnly cookie out, accepted by /v1', () => {
  let h: Harness;
  let account: TestAccount;

  beforeAll(async () => {
    h = await startApi('api_dashboard_session', { INBOX_DASHBOARD_SESSION_TTL: '2h' });
    account = await createAccount(h, 'Dashboard Inc');
  });

  afterAll(async () => {
    await h?.close();
  });

  async function signIn(apiKey = account.apiKey, headers: Record<string, string> = {}) {
    const res = await h.http().post('/dashboard/session').set({ ...CSRF, ...headers }).send({ api_key: apiKey }).expect(201);
    return { res, cookie: sessionCookie(res).pair };
  }

  it('opens a session for a valid key: httpOnly, SameSite=Strict, expiring cookie; only its hash stored', async () => {
    const { res, cookie } = await signIn();
    expect(res.body).toEqual({ account: { id: account.id, name: 'Dashboard Inc' }, key_prefix: account.apiKey.slice(0, 15), expires_at: expect.any(String) });
    expect(Date.parse(res.body.expires_at) - Date.now()).toBeGreaterThan(7_100_000);
    const { attributes } = sessionCookie(res);
    expect(attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=strict', 'path=/', 'max-age=7200']));
    expect(attributes).not.toContain('secure');
    expect(res.headers['cache-control']).toBe('no-store');
    const token = cookie.split('=')[1]!;
    const { rows } = await h.sql.query('SELECT token_hash, account_id FROM dashboard_sessions');
    expect(rows).toContainEqual({ token_hash: expect.stringMatching(/^[0-9a-f]{64}$/), account_id: account.id });
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('marks the cookie Secure when the request came over https (X-Forwarded-Proto)', async () => {
    const { res } = await signIn(account.apiKey, { 'X-Forwarded-Proto': 'https' });
    expect(sessionCookie(res).attributes).toContain('secure');
  });

  it('refuses a wrong key, a malformed one, and a sign-in without the CSRF header or from another origin', async () => {
    const before = (await h.sql.query('SELECT count(*)::int AS n FROM dashboard_sessions')).rows[0].n;
    const wrong = await h.http().post('/dashboard/session').set(CSRF).send({ api_key: `inbox_sk_${'A'.repeat(43)}` }).expect(401);
    expect(wrong.body.error).toMatchObject({ code: 'unauthorized', message: 'The API key is not valid' });
    expect(wrong.headers['set-cookie']).toBeUndefined();
    await h.http().post('/dashboard/session').set(CSRF).send({ api_key: 'nonsense' }).expect(401);
    await h.http().post('/dashboard/session').set(CSRF).send({ api_key: INTERNAL_TOKEN }).expect(401);
    await h.http().post('/dashboard/session').set(CSRF).send({}).expect(422);
    const noHeader = await h.http().post('/dashboard/session').send({ api_key: account.apiKey }).expect(403);
    expect(noHeader.body.error.code).toBe('cross_site_request');
    await h.http().post('/dashboard/session').set({ ...CSRF, Origin: 'https://evil.example' }).send({ api_key: account.apiKey }).expect(403);
    expect((await h.sql.query('SELECT count(*)::int AS n FROM dashboard_sessions')).rows[0].n).toBe(before);
  });

  it('the cookie reads /v1 as the account; its changes need the CSRF header and this origin', async () => {
    const { cookie } = await signIn();
    await h.http().get('/v1/webhooks').set('Cookie', cookie).expect(200);
    const body = { url: 'https://example.com/from-dashboard', events: ['message.read'] };
    const forged = await h.http().post('/v1/webhooks').set('Cookie', cookie).send(body).expect(403);
    expect(forged.body.error.code).toBe('cross_site_request');
    await h.http().post('/v1/webhooks').set({ Cookie: cookie, ...CSRF, Origin: 'https://evil.example' }).send(body).expect(403);
    expect((await h.sql.query(`SELECT count(*)::int AS n FROM webhooks WHERE url = $1`, [body.url])).rows[0].n).toBe(0);
    const created = await h.http().post('/v1/webhooks').set({ Cookie: cookie, ...CSRF }).send(body).expect(201);
    const listed = await h.http().get('/v1/webhooks').set(account.auth).expect(200);
    expect(listed.body.data.map((w: { id: string }) => w.id)).toContain(created.body.id);
    // The Bearer key wins over a cookie; an unknown cookie is a 401 like an unknown key.
    await h.http().get('/v1/webhooks').set({ ...account.auth, Cookie: 'inbox_session=x' }).expect(200);
    await h.http().get('/v1/webhooks').set('Cookie', `inbox_session=${'A'.repeat(43)}`).expect(401);
  });

  it('says who is signed in, and ends the session on sign-out, on expiry, and when the key is revoked', async () => {
    const { cookie } = await signIn();
    const me = await h.http().get('/dashboard/session').set('Cookie', cookie).expect(200);
    expect(me.body.account).toEqual({ id: account.id, name: 'Dashboard Inc' });
    await h.http().delete('/dashboard/session').set('Cookie', cookie).expect(403);
    const out = await h.http().delete('/dashboard/session').set({ Cookie: cookie, ...CSRF }).expect(204);
    expect(sessionCookie(out).pair).toBe('inbox_session=');
    await h.http().get('/dashboard/session').set('Cookie', cookie).expect(401);
    await h.http().get('/v1/webhooks').set('Cookie', cookie).expect(401);

    const expiring = await signIn();
    await h.sql.query(`UPDATE dashboard_sessions SET created_at = now() - interval '3 hours', expires_at = now() - interval '1 hour'`);
    await h.http().get('/v1/webhooks').set('Cookie', expiring.cookie).expect(401);

    const other = await createAccount(h, 'Revoked Ltd');
    const { rows } = await h.sql.query('SELECT id FROM api_keys WHERE account_id = $1', [other.id]);
    const revoking = await signIn(other.apiKey);
    await h.http().get('/v1/webhooks').set('Cookie', revoking.cookie).expect(200);
    await h.http().delete(`/internal/v1/accounts/${other.id}/keys/${rows[0].id}`).set(internalAuth).expect((res) => expect(res.status).toBeLessThan(300));
    await h.http().get('/v1/webhooks').set('Cookie', revoking.cookie).expect(401);
  });
});

describe('dashboard pages: served from the API, cached by kind', () => {
  let dir: string;
  let h: Harness;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'inbox-dashboard-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Inbox</title><div id="root"></div>');
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), `console.log(${JSON.stringify('x'.repeat(4000))});`);
    h = await startApi('api_dashboard_pages', { INBOX_DASHBOARD_DIR: dir });
  });

  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html, never cached, for /dashboard and every client route, with a strict CSP', async () => {
    for (const path of ['/dashboard', '/dashboard/', '/dashboard/webhooks/wh_123/events/evt_1']) {
      const res = await h.http().get(path).expect(200);
      expect(res.text).toContain('<div id="root">');
      expect(res.headers).toMatchObject({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', 'x-frame-options': 'DENY' });
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    }
  });

  it('serves hashed assets for a year, gzipped when accepted; a missing one is a 404 in the error shape', async () => {
    const res = await h.http().get('/dashboard/assets/index-abc123.js').set('Accept-Encoding', 'gzip').expect(200);
    expect(res.headers).toMatchObject({ 'cache-control': 'public, max-age=31536000, immutable', 'content-type': 'text/javascript; charset=utf-8', 'content-encoding': 'gzip' });
    expect(res.text).toContain('console.log'); // supertest gunzips
    const plain = await h.http().get('/dashboard/assets/index-abc123.js').set('Accept-Encoding', 'identity').expect(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    for (const missing of ['/dashboard/assets/nope.js', '/dashboard/assets/../index.html', '/dashboard/assets/a/b.js']) {
      const gone = await h.http().get(missing).expect(404);
      expect(gone.body.error.code).toBe('not_found');
    }
  });
});

describe('dashboard not built', () => {
  it('the API still starts; /dashboard answers 404 saying how to build it', async () => {
    const h = await startApi('api_dashboard_missing', { INBOX_DASHBOARD_DIR: join(tmpdir(), 'inbox-no-such-dashboard') });
    try {
      const res = await h.http().get('/dashboard/webhooks').expect(404);
      expect(res.body.error.message).toContain('pnpm build');
      await h.http().get('/health/live').expect(200);
    } finally {
      await h.close();
    }
  });
});

describe("what the dashboard reads: a webhook's hourly stats, and an attempt's request as sent", () => {
  let h: Harness;
  let account: TestAccount;
  let webhookId: string;

  beforeAll(async () => {
    h = await startApi('api_dashboard_reads');
    account = await createAccount(h, 'Stats Co');
    webhookId = (await createWebhook(h, account, { url: 'https://example.com/stats', events: ['message.delivered', 'message.read'] })).id;
  });

  afterAll(async () => {
    await h?.close();
  });

  async function delivery(type: 'message.delivered' | 'message.read' = 'message.delivered'): Promise<{ eventId: string; deliveryId: string }> {
    const res = await h.http().post('/internal/v1/events').set(internalAuth).send({ account_id: account.id, type, data: exampleEvents[type].data }).expect(202);
    const { rows } = await h.sql.query('SELECT id FROM deliveries WHERE event_id = $1', [res.body.id]);
    return { eventId: res.body.id, deliveryId: rows[0].id };
  }

  it('GET /v1/webhooks/{id}/stats: 24 hour buckets, oldest first, counting successes and latency', async () => {
    const now = Date.now();
    const thisHour = new Date(Math.floor(now / 3_600_000) * 3_600_000);
    const a = await delivery();
    await recordAttempt(h, { deliveryId: a.deliveryId, statusCode: 500, durationMs: 300, deliveryStatus: 'pending', requestedAt: new Date(now - 1000) });
    await recordAttempt(h, { deliveryId: a.deliveryId, statusCode: 200, durationMs: 100, deliveryStatus: 'succeeded', requestedAt: new Date(now - 500) });
    const b = await delivery();
    await recordAttempt(h, { deliveryId: b.deliveryId, statusCode: 200, durationMs: 50, deliveryStatus: 'succeeded', requestedAt: new Date(now - 3 * 3_600_000) });
    // Left out: older than the window; an attempt that sent nothing.
    const c = await delivery();
    await recordAttempt(h, { deliveryId: c.deliveryId, statusCode: 200, durationMs: 50, deliveryStatus: 'succeeded', requestedAt: new Date(now - 30 * 3_600_000) });
    const d = await delivery();
    await recordAttempt(h, { deliveryId: d.deliveryId, statusCode: null, error: 'internal_error', durationMs: 0, deliveryStatus: 'failed', requestedAt: new Date(now - 100) });

    const res = await h.http().get(`/v1/webhooks/${webhookId}/stats`).set(account.auth).expect(200);
    expect(res.body.bucket_seconds).toBe(3600);
    expect(res.body.buckets).toHaveLength(24);
    expect(res.body.since).toBe(new Date(thisHour.getTime() - 23 * 3_600_000).toISOString());
    expect(res.body.totals).toEqual({ attempts: 3, succeeded: 2 });
    const last = res.body.buckets[23];
    expect(last).toEqual({ start: thisHour.toISOString(), attempts: 2, succeeded: 1, avg_ms: 200, p50_ms: 200, p95_ms: 290 });
    expect(res.body.buckets[20]).toMatchObject({ attempts: 1, succeeded: 1, p50_ms: 50 });
    expect(res.body.buckets[0]).toEqual({ start: res.body.since, attempts: 0, succeeded: 0, avg_ms: null, p50_ms: null, p95_ms: null });

    const week = await h.http().get(`/v1/webhooks/${webhookId}/stats?hours=48`).set(account.auth).expect(200);
    expect(week.body.totals.attempts).toBe(4);
    await h.http().get(`/v1/webhooks/${webhookId}/stats?hours=0`).set(account.auth).expect(400);
    await h.http().get(`/v1/webhooks/${webhookId}/stats?hours=169`).set(account.auth).expect(400);
    const stranger = await createAccount(h, 'Stranger');
    await h.http().get(`/v1/webhooks/${webhookId}/stats`).set(stranger.auth).expect(404);
  });

  it('GET /v1/events/{id}: the exact body sent, and each attempt with the headers it was sent with', async () => {
    const { eventId, deliveryId } = await delivery('message.read');
    await recordAttempt(h, { deliveryId, statusCode: 503, deliveryStatus: 'pending' });
    await recordAttempt(h, { deliveryId, statusCode: null, error: 'internal_error', deliveryStatus: 'failed' });
    const res = await h.http().get(`/v1/events/${eventId}`).set(account.auth).expect(200);
    const { rows } = await h.sql.query('SELECT body FROM events WHERE id = $1', [eventId]);
    expect(res.body.body).toBe(rows[0].body);
    expect(JSON.parse(res.body.body)).toEqual(res.body.payload);
    const [sent, nothing] = res.body.deliveries[0].attempt_log;
    expect(sent.request_headers).toEqual({
      'content-type': 'application/json',
      'user-agent': expect.stringMatching(/^Inbox-Webhooks\//),
      'x-inbox-signature': null,
      'x-inbox-event-id': eventId,
      'x-inbox-event-type': 'message.read',
      'x-inbox-delivery-attempt': '1',
      'webhook-id': eventId,
      'webhook-timestamp': null,
      'webhook-signature': null,
    });
    expect(nothing.request_headers).toBeNull();
  });
});
