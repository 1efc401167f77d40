import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAccount, createWebhook, startApi, type Harness, type TestAccount } from './support/harness.js';

/** Reads the stream until its first event; returns it parsed, the stream left open. */
async function firstEvent(body: ReadableStream<Uint8Array>): Promise<{ event: string; data: unknown }> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`stream ended before an event: ${text}`);
    text += decoder.decode(value, { stream: true });
    const end = text.indexOf('\n\n');
    if (end === -1) continue;
    reader.releaseLock();
    const lines = text.slice(0, end).split('\n');
    const event = lines.find((l) => l.startsWith('event: '))!.slice(7);
    const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
    return { event, data: JSON.parse(data) };
  }
}

/** Per key, per minute: low, so the reports' exemption shows; each test's own requests stay under it. */
const RATE_LIMIT = 40;

/** Opens a session for `auth`; resolves with it once its first event arrived, the stream left open. */
async function openSession(base: string, auth: { Authorization: string }, query = ''): Promise<{ id: string; secret: string; controller: AbortController }> {
  const controller = new AbortController();
  const response = await fetch(`${base}/v1/listen${query}`, { headers: { authorization: auth.Authorization }, signal: controller.signal });
  const { data } = await firstEvent(response.body!);
  return { ...(data as { id: string; secret: string }), controller };
}

describe('GET /v1/listen (inbox listen sessions)', () => {
  let h: Harness;
  let account: TestAccount;
  let base: string;

  beforeAll(async () => {
    h = await startApi('api_listen', { INBOX_RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT) });
    account = await createAccount(h);
    const server = h.app.getHttpServer() as Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await h?.close();
  });

  it('needs an API key (401) and checks its parameters (400, 404)', async () => {
    await h.http().get('/v1/listen').expect(401);
    await h.http().get('/v1/listen').set('Authorization', 'Bearer inbox_sk_nope').expect(401);
    const bad = await h.http().get('/v1/listen?events=message.read,message.nope').set(account.auth).expect(400);
    expect(bad.body.error.code).toBe('invalid_parameter');
    expect(bad.body.error.details).toEqual([{ path: 'events', message: expect.stringContaining('unknown event type "message.nope"') }]);
    const extra = await h.http().get('/v1/listen?colour=blue').set(account.auth).expect(400);
    expect(extra.body.error.code).toBe('invalid_parameter');
    await h.http().get('/v1/listen?webhook_id=wh_01JD0Y6J6R8Z3Q4W5E6R7T8Y9U').set(account.auth).expect(404);
    const other = await createAccount(h, 'Other');
    const theirs = await createWebhook(h, other);
    await h.http().get(`/v1/listen?webhook_id=${theirs.id}`).set(account.auth).expect(404);
    const report = await h.http().post('/v1/listen/wh_01JD0Y6J6R8Z3Q4W5E6R7T8Y9U/responses').set(account.auth).send({ request_id: 'x', duration_ms: 1 }).expect(422);
    expect(report.body.error.code).toBe('validation_failed');
    await h.http().delete('/v1/listen/wh_01JD0Y6J6R8Z3Q4W5E6R7T8Y9U').set(account.auth).expect(404);
  });

  it('opens a session on a stream: its secret and events first; never listed; its log readable; closed with the stream', async () => {
    const mirrored = await createWebhook(h, account);
    const controller = new AbortController();
    const response = await fetch(`${base}/v1/listen?webhook_id=${mirrored.id}`, { headers: { authorization: account.auth.Authorization }, signal: controller.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    const first = await firstEvent(response.body!);
    expect(first).toEqual({ event: 'session', data: { id: expect.stringMatching(/^wh_/), secret: expect.stringMatching(/^whsec_/), events: ['message.delivered'] } });
    const session = first.data as { id: string };

    const list = await h.http().get('/v1/webhooks').set(account.auth).expect(200);
    expect(list.body.data.map((w: { id: string }) => w.id)).toEqual([mirrored.id]);
    await h.http().get(`/v1/webhooks/${session.id}`).set(account.auth).expect(404);
    await h.http().get(`/v1/webhooks/${session.id}/logs`).set(account.auth).expect(200);
    await h.http().post('/v1/webhooks/test').set(account.auth).send({ webhook_id: session.id, event_type: 'message.read' }).expect(404);

    // A test event without webhook_id reaches the subscribed webhook and the session.
    const test = await h.http().post('/v1/webhooks/test').set(account.auth).send({ event_type: 'message.delivered' }).expect(202);
    expect(test.body.delivery_ids).toHaveLength(2);
    const none = await h.http().post('/v1/webhooks/test').set(account.auth).send({ event_type: 'message.failed' }).expect(409);
    expect(none.body.error.code).toBe('no_subscribers');

    controller.abort();
    const deadline = Date.now() + 5_000;
    let deleted: unknown = null;
    while (Date.now() < deadline && !deleted) {
      const { rows } = await h.sql.query('SELECT deleted_at, kind FROM webhooks WHERE id = $1', [session.id]);
      expect(rows[0].kind).toBe('listen');
      deleted = rows[0].deleted_at;
      if (!deleted) await new Promise((r) => setTimeout(r, 50));
    }
    expect(deleted).toBeTruthy();
    await h.http().get(`/v1/webhooks/${session.id}/logs`).set(account.auth).expect(200);
  });

  it("is the account's own: another account's key gets 404 for its session on every route", async () => {
    const owner = await createAccount(h, 'Owner');
    const intruder = await createAccount(h, 'Intruder');
    const session = await openSession(base, owner.auth);
    const report = { request_id: `${'a'.repeat(16)}.${'b'.repeat(32)}`, status_code: 200, duration_ms: 3 };
    await h.http().post(`/v1/listen/${session.id}/responses`).set(intruder.auth).send(report).expect(404);
    await h.http().delete(`/v1/listen/${session.id}`).set(intruder.auth).expect(404);
    await h.http().get(`/v1/webhooks/${session.id}/logs`).set(intruder.auth).expect(404);
    // Nor is a session a webhook its own account can change.
    await h.http().put(`/v1/webhooks/${session.id}`).set(owner.auth).send({ url: 'https://example.com/x', events: ['message.read'] }).expect(404);
    await h.http().delete(`/v1/webhooks/${session.id}`).set(owner.auth).expect(404);
    await h.http().post(`/v1/webhooks/${session.id}/secret/rotate`).set(owner.auth).send({}).expect(404);
    await h.http().get(`/v1/webhooks/${session.id}/secret`).set(owner.auth).expect(404);
    // Still live for its owner.
    const { rows } = await h.sql.query('SELECT deleted_at FROM webhooks WHERE id = $1', [session.id]);
    expect(rows[0].deleted_at).toBeNull();
    await h.http().post(`/v1/listen/${session.id}/responses`).set(owner.auth).send(report).expect(204);
    session.controller.abort();
  });

  it("does not count the CLI's reports against the key's rate limit", async () => {
    const busy = await createAccount(h, 'Busy');
    const session = await openSession(base, busy.auth);
    const report = { request_id: `${'c'.repeat(16)}.${'d'.repeat(32)}`, status_code: 200, duration_ms: 1 };
    for (let i = 0; i < RATE_LIMIT + 10; i++) await h.http().post(`/v1/listen/${session.id}/responses`).set(busy.auth).send(report).expect(204);
    // The key's own budget is untouched by them.
    const list = await h.http().get('/v1/webhooks').set(busy.auth).expect(200);
    expect(Number(list.headers['x-ratelimit-remaining'])).toBeGreaterThan(RATE_LIMIT - 5);
    session.controller.abort();
  });

  it('DELETE /v1/listen/{id} ends a session and its stream', async () => {
    const response = await fetch(`${base}/v1/listen?events=message.read`, { headers: { authorization: account.auth.Authorization } });
    const { data } = await firstEvent(response.body!);
    const session = data as { id: string; events: string[] };
    expect(session.events).toEqual(['message.read']);
    await h.http().delete(`/v1/listen/${session.id}`).set(account.auth).expect(204);
    // The stream ends.
    const reader = response.body!.getReader();
    while (!(await reader.read()).done);
    await h.http().delete(`/v1/listen/${session.id}`).set(account.auth).expect(404);
  });
});
