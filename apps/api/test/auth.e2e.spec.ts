import { createHash } from 'node:crypto';
import { createAccount, INTERNAL_TOKEN, internalAuth, rowCounts, startApi, type Harness } from './support/harness.js';

describe('accounts, API keys and authentication', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startApi('api_auth');
  });

  afterAll(async () => {
    await h?.close();
  });

  describe('POST /internal/v1/accounts', () => {
    it('creates an account with a first key, shown once and stored only as a SHA-256 hash', async () => {
      const res = await h.http().post('/internal/v1/accounts').set(internalAuth).send({ name: 'Acme Inc.' }).expect(201);
      expect(res.body).toEqual({ id: expect.stringMatching(/^acct_/), name: 'Acme Inc.', api_key: expect.stringMatching(/^inbox_sk_[A-Za-z0-9_-]{43}$/) });
      const { rows } = await h.sql.query('SELECT key_hash, prefix FROM api_keys WHERE account_id = $1', [res.body.id]);
      expect(rows).toEqual([{ key_hash: createHash('sha256').update(res.body.api_key).digest('hex'), prefix: res.body.api_key.slice(0, 15) }]);
      const { rows: leaked } = await h.sql.query(`SELECT count(*)::int AS n FROM api_keys WHERE key_hash = $1 OR prefix = $1`, [res.body.api_key]);
      expect(leaked[0].n).toBe(0);
      // The new key works on /v1.
      await h.http().get('/v1/webhooks').set('Authorization', `Bearer ${res.body.api_key}`).expect(200, { data: [], next_cursor: null });
    });

    it('requires a name', async () => {
      const res = await h.http().post('/internal/v1/accounts').set(internalAuth).send({}).expect(422);
      expect(res.body.error).toMatchObject({ code: 'validation_failed', details: [{ path: 'name', message: expect.any(String) }] });
      await h.http().post('/internal/v1/accounts').set(internalAuth).send({ name: '   ' }).expect(422);
      await h.http().post('/internal/v1/accounts').set(internalAuth).send({ name: 'x'.repeat(201) }).expect(422);
    });
  });

  describe('API keys', () => {
    it('creates further keys and revokes them; a revoked key gets 401', async () => {
      const account = await createAccount(h);
      const created = await h.http().post(`/internal/v1/accounts/${account.id}/keys`).set(internalAuth).expect(201);
      expect(created.body).toEqual({ id: expect.stringMatching(/^key_/), api_key: expect.stringMatching(/^inbox_sk_/), prefix: created.body.api_key.slice(0, 15) });
      const second = { Authorization: `Bearer ${created.body.api_key}` };
      await h.http().get('/v1/webhooks').set(second).expect(200);

      await h.http().delete(`/internal/v1/accounts/${account.id}/keys/${created.body.id}`).set(internalAuth).expect(204);
      const denied = await h.http().get('/v1/webhooks').set(second).expect(401);
      expect(denied.body.error.code).toBe('unauthorized');
      // The first key still works; revoking again is harmless.
      await h.http().get('/v1/webhooks').set(account.auth).expect(200);
      await h.http().delete(`/internal/v1/accounts/${account.id}/keys/${created.body.id}`).set(internalAuth).expect(204);
    });

    it('404s for unknown accounts and keys, and for another account’s key', async () => {
      const a = await createAccount(h, 'A');
      const b = await createAccount(h, 'B');
      const key = await h.http().post(`/internal/v1/accounts/${a.id}/keys`).set(internalAuth).expect(201);
      await h.http().post('/internal/v1/accounts/acct_00000000000000000000000000/keys').set(internalAuth).expect(404);
      await h.http().post('/internal/v1/accounts/nonsense/keys').set(internalAuth).expect(404);
      await h.http().delete(`/internal/v1/accounts/${b.id}/keys/${key.body.id}`).set(internalAuth).expect(404);
      await h.http().delete(`/internal/v1/accounts/${a.id}/keys/key_00000000000000000000000000`).set(internalAuth).expect(404);
      // A's key still works after B's failed attempt to revoke it.
      await h.http().get('/v1/webhooks').set('Authorization', `Bearer ${key.body.api_key}`).expect(200);
    });
  });

  describe('customer authentication on /v1', () => {
    it.each([
      ['no header', undefined],
      ['an empty bearer', 'Bearer '],
      ['another scheme', 'Basic dXNlcjpwYXNz'],
      ['a malformed key', 'Bearer inbox_sk_short'],
      ['an unknown well-formed key', `Bearer inbox_sk_${'A'.repeat(43)}`],
      ['the internal service token', `Bearer ${INTERNAL_TOKEN}`],
      ['an injection string', "Bearer ' OR 1=1 --"],
    ])('answers 401 with the error body for %s', async (_label, header) => {
      const req = h.http().get('/v1/webhooks');
      if (header !== undefined) req.set('Authorization', header);
      const res = await req.expect(401);
      expect(res.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String), request_id: res.headers['x-request-id'] } });
      expect(res.headers['www-authenticate']).toBe('Bearer');
    });
  });

  describe('service authentication on /internal/v1', () => {
    it('refuses customer keys, wrong tokens and no token, and changes nothing', async () => {
      const account = await createAccount(h);
      const before = await rowCounts(h);
      for (const header of [account.auth.Authorization, `Bearer ${INTERNAL_TOKEN}x`, `Bearer ${INTERNAL_TOKEN.slice(0, -1)}`, 'Bearer', undefined]) {
        const req = h.http().post('/internal/v1/accounts').send({ name: 'Mallory' });
        if (header !== undefined) req.set('Authorization', header);
        const res = await req.expect(401);
        expect(res.body.error.code).toBe('unauthorized');
      }
      await h.http().post(`/internal/v1/accounts/${account.id}/keys`).set(account.auth).expect(401);
      await h.http().post('/internal/v1/events').set(account.auth).send({}).expect(401);
      expect(await rowCounts(h)).toEqual(before);
    });
  });
});
