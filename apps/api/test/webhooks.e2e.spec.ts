import { SecretBox } from '@inbox/db';
import { isValidSecret } from '@inbox/signing';
import { createAccount, createWebhook, DOCS_REGISTER_BODY, rowCounts, startApi, type Harness, type TestAccount } from './support/harness.js';

describe('webhooks CRUD', () => {
  let h: Harness;
  let account: TestAccount;

  beforeAll(async () => {
    h = await startApi('api_webhooks');
    account = await createAccount(h);
  });

  afterAll(async () => {
    await h?.close();
  });

  it("registers the docs' curl body verbatim: 201 with the webhook and its secret, sealed at rest", async () => {
    const res = await h.http().post('/v1/webhooks').set(account.auth).set('Content-Type', 'application/json').send(DOCS_REGISTER_BODY).expect(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^wh_/),
      url: 'https://yourapp.com/webhooks/inbox',
      events: ['message.delivered', 'message.read', 'message.failed'],
      description: 'Production webhook endpoint',
      status: 'enabled',
      disabled_reason: null,
      disabled_at: null,
      rate_limit: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
      secret: expect.stringMatching(/^whsec_/),
    });
    expect(isValidSecret(res.body.secret)).toBe(true);
    const { rows } = await h.sql.query('SELECT secret_sealed, account_id FROM webhooks WHERE id = $1', [res.body.id]);
    expect(rows[0].account_id).toBe(account.id);
    expect(rows[0].secret_sealed).not.toContain(res.body.secret.slice(6));
    expect(new SecretBox(h.config.secretKey).open(rows[0].secret_sealed)).toBe(res.body.secret);
  });

  it('never shows the secret in get or list, only at /secret', async () => {
    const created = await createWebhook(h, account);
    const got = await h.http().get(`/v1/webhooks/${created.id}`).set(account.auth).expect(200);
    expect(got.body).not.toHaveProperty('secret');
    expect(got.body).toMatchObject({ id: created.id, url: 'https://example.com/hook', events: ['message.delivered'], description: null });
    const list = await h.http().get('/v1/webhooks').set(account.auth).expect(200);
    expect(JSON.stringify(list.body)).not.toContain('whsec_');
    const secret = await h.http().get(`/v1/webhooks/${created.id}/secret`).set(account.auth).expect(200);
    expect(secret.body).toEqual({ secret: created.secret });
  });

  it('serves a path with a trailing slash like the one without', async () => {
    const created = await createWebhook(h, account);
    const got = await h.http().get(`/v1/webhooks/${created.id}/`).set(account.auth).expect(200);
    expect(got.body.id).toBe(created.id);
    const list = await h.http().get('/v1/webhooks/').set(account.auth).expect(200);
    expect(list.body.data.map((w: { id: string }) => w.id)).toContain(created.id);
  });

  it('replaces a webhook with PUT, and can disable and re-enable it', async () => {
    const created = await createWebhook(h, account, { url: 'https://example.com/a', events: ['message.read'], description: 'first' });
    const updated = await h
      .http()
      .put(`/v1/webhooks/${created.id}`)
      .set(account.auth)
      .send({ url: 'https://example.com/b', events: ['message.action', 'message.failed'], status: 'disabled' })
      .expect(200);
    expect(updated.body).toMatchObject({ id: created.id, url: 'https://example.com/b', events: ['message.action', 'message.failed'], description: null, status: 'disabled' });
    expect(Date.parse(updated.body.updated_at)).toBeGreaterThanOrEqual(Date.parse(updated.body.created_at));
    // status left out: unchanged.
    const again = await h.http().put(`/v1/webhooks/${created.id}`).set(account.auth).send({ url: 'https://example.com/c', events: ['message.read'], description: 'd' }).expect(200);
    expect(again.body).toMatchObject({ url: 'https://example.com/c', description: 'd', status: 'disabled' });
    const enabled = await h.http().put(`/v1/webhooks/${created.id}`).set(account.auth).send({ url: 'https://example.com/c', events: ['message.read'], status: 'enabled' }).expect(200);
    expect(enabled.body.status).toBe('enabled');
    const { rows } = await h.sql.query('SELECT url, events, status FROM webhooks WHERE id = $1', [created.id]);
    expect(rows[0]).toEqual({ url: 'https://example.com/c', events: ['message.read'], status: 'enabled' });
  });

  it('validates PUT bodies like POST bodies', async () => {
    const created = await createWebhook(h, account);
    const res = await h.http().put(`/v1/webhooks/${created.id}`).set(account.auth).send({ url: 'ftp://x', events: [], status: 'paused' }).expect(422);
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['events', 'status']);
    const url = await h.http().put(`/v1/webhooks/${created.id}`).set(account.auth).send({ url: 'ftp://x', events: ['message.read'] }).expect(422);
    expect(url.body.error).toMatchObject({ code: 'https_required', details: [{ path: 'url' }] });
  });

  it('soft-deletes: 204, then 404 everywhere but the logs, and gone from lists', async () => {
    const created = await createWebhook(h, account);
    await h.http().delete(`/v1/webhooks/${created.id}`).set(account.auth).expect(204);
    const { rows } = await h.sql.query('SELECT deleted_at FROM webhooks WHERE id = $1', [created.id]);
    expect(rows[0].deleted_at).toBeInstanceOf(Date);
    await h.http().get(`/v1/webhooks/${created.id}`).set(account.auth).expect(404);
    await h.http().get(`/v1/webhooks/${created.id}/secret`).set(account.auth).expect(404);
    await h.http().put(`/v1/webhooks/${created.id}`).set(account.auth).send({ url: 'https://example.com/x', events: ['message.read'] }).expect(404);
    await h.http().delete(`/v1/webhooks/${created.id}`).set(account.auth).expect(404);
    await h.http().post('/v1/webhooks/test').set(account.auth).send({ webhook_id: created.id, event_type: 'message.read' }).expect(404);
    await h.http().get(`/v1/webhooks/${created.id}/logs`).set(account.auth).expect(200, { data: [], next_cursor: null });
    const list = await h.http().get('/v1/webhooks?limit=250').set(account.auth).expect(200);
    expect(list.body.data.map((w: { id: string }) => w.id)).not.toContain(created.id);
  });

  describe('validation of the register body', () => {
    const valid = { url: 'https://example.com/hook', events: ['message.delivered'] };
    it.each([
      ['a missing url', { events: ['message.read'] }, 'url', 'validation_failed'],
      ['a relative url', { ...valid, url: '/webhooks' }, 'url', 'invalid_url'],
      ['a url that is not a url', { ...valid, url: 'not a url' }, 'url', 'invalid_url'],
      ['an ftp url', { ...valid, url: 'ftp://example.com/hook' }, 'url', 'https_required'],
      ['credentials in the url', { ...valid, url: 'https://user:pw@example.com/hook' }, 'url', 'url_credentials'],
      ['a url over 2048 characters', { ...valid, url: `https://example.com/${'a'.repeat(2040)}` }, 'url', 'validation_failed'],
      ['a url that is a number', { ...valid, url: 42 }, 'url', 'validation_failed'],
      ['no events', { ...valid, events: [] }, 'events', 'validation_failed'],
      ['an unknown event type', { ...valid, events: ['message.sent'] }, 'events.0', 'validation_failed'],
      ['a repeated event type', { ...valid, events: ['message.read', 'message.read'] }, 'events', 'validation_failed'],
      ['events as a string', { ...valid, events: 'message.read' }, 'events', 'validation_failed'],
      ['a description over 512 characters', { ...valid, description: 'd'.repeat(513) }, 'description', 'validation_failed'],
      ['an unknown field', { ...valid, secret: 'whsec_mine' }, 'secret', 'validation_failed'],
    ])('refuses %s with a 422 naming the field', async (_label, body, path, code) => {
      const before = await rowCounts(h);
      const res = await h.http().post('/v1/webhooks').set(account.auth).send(body).expect(422);
      expect(res.body.error.code).toBe(code);
      expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
      expect(await rowCounts(h)).toEqual(before);
    });

    it('accepts a description of exactly 512 characters and a url of exactly 2048', async () => {
      const url = `https://example.com/${'a'.repeat(2048 - 'https://example.com/'.length)}`;
      expect(url).toHaveLength(2048);
      await h.http().post('/v1/webhooks').set(account.auth).send({ url, events: ['message.read'], description: 'd'.repeat(512) }).expect(201);
    });
  });

  describe('pagination', () => {
    it('pages newest first with opaque cursors until next_cursor is null', async () => {
      const other = await createAccount(h, 'Pager');
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await createWebhook(h, other, { url: `https://example.com/${i}`, events: ['message.read'] })).id);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: Record<string, string> = { limit: '2', ...(cursor ? { cursor } : {}) };
        const res = await h.http().get('/v1/webhooks').query(query).set(other.auth).expect(200);
        expect(res.body.data.length).toBeLessThanOrEqual(2);
        seen.push(...res.body.data.map((w: { id: string }) => w.id));
        cursor = res.body.next_cursor;
        if (cursor) expect(cursor).not.toContain('wh_');
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual([...ids].reverse());
    });

    it('defaults to 50 and accepts 1 and 250', async () => {
      await h.http().get('/v1/webhooks?limit=1').set(account.auth).expect(200);
      await h.http().get('/v1/webhooks?limit=250').set(account.auth).expect(200);
    });

    it.each([['0'], ['251'], ['-1'], ['abc'], ['1.5'], ['1e2'], [''], ['99999999999999999999999']])('refuses limit=%s with 400', async (limit) => {
      const res = await h.http().get(`/v1/webhooks?limit=${encodeURIComponent(limit)}`).set(account.auth).expect(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_parameter', details: [{ path: 'limit' }] });
    });

    it.each([['garbage'], [Buffer.from('evt_01ABC').toString('base64url')], ["' OR 1=1 --"], ['../../etc/passwd']])('refuses cursor=%s with 400', async (cursor) => {
      const res = await h.http().get('/v1/webhooks').query({ cursor }).set(account.auth).expect(400);
      expect(res.body.error.code).toBe('invalid_cursor');
    });

    it('refuses unknown query parameters', async () => {
      const res = await h.http().get('/v1/webhooks?limt=5').set(account.auth).expect(400);
      expect(res.body.error.details).toEqual([{ path: 'limt', message: 'unknown field "limt"' }]);
    });
  });
});
