import { createAccount, createWebhook, rowCounts, startApi, type Harness, type TestAccount } from './support/harness.js';

const BODY = { url: 'https://example.com/hook', events: ['message.delivered'] };

/** `rate_limit` on a webhook: deliveries per second, 1–10000, or null for none. */
describe('webhook rate_limit', () => {
  let h: Harness;
  let account: TestAccount;

  beforeAll(async () => {
    h = await startApi('api_rate_limit');
    account = await createAccount(h);
  });

  afterAll(async () => {
    await h?.close();
  });

  const stored = async (id: string) => (await h.sql.query('SELECT rate_limit FROM webhooks WHERE id = $1', [id])).rows[0].rate_limit;

  it('is null (no limit) unless given, and shown on the webhook in every answer', async () => {
    const plain = await createWebhook(h, account);
    expect(plain.rate_limit).toBeNull();
    const limited = await createWebhook(h, account, { ...BODY, rate_limit: 5 });
    expect(limited.rate_limit).toBe(5);
    expect(await stored(limited.id)).toBe(5);

    const got = await h.http().get(`/v1/webhooks/${limited.id}`).set(account.auth).expect(200);
    expect(got.body.rate_limit).toBe(5);
    const list = await h.http().get('/v1/webhooks').set(account.auth).expect(200);
    const shown = new Map(list.body.data.map((w: { id: string; rate_limit: number | null }) => [w.id, w.rate_limit]));
    expect(shown.get(limited.id)).toBe(5);
    expect(shown.get(plain.id)).toBeNull();
  });

  it('accepts the bounds, 1 and 10000, and an explicit null', async () => {
    for (const rate_limit of [1, 10_000, null]) {
      const created = await createWebhook(h, account, { ...BODY, rate_limit });
      expect(created.rate_limit).toBe(rate_limit);
      expect(await stored(created.id)).toBe(rate_limit);
    }
  });

  it('PUT sets it, keeps it when left out, and removes it with null', async () => {
    const created = await createWebhook(h, account);
    const put = (body: Record<string, unknown>) => h.http().put(`/v1/webhooks/${created.id}`).set(account.auth).send({ ...BODY, ...body }).expect(200);
    expect((await put({ rate_limit: 100 })).body.rate_limit).toBe(100);
    expect((await put({ description: 'still limited' })).body).toMatchObject({ description: 'still limited', rate_limit: 100 });
    expect(await stored(created.id)).toBe(100);
    expect((await put({ rate_limit: null })).body.rate_limit).toBeNull();
    expect(await stored(created.id)).toBeNull();
    expect((await h.http().get(`/v1/webhooks/${created.id}`).set(account.auth).expect(200)).body.rate_limit).toBeNull();
  });

  describe.each([
    ['zero', 0],
    ['negative', -1],
    ['above 10000', 10_001],
    ['fractional', 1.5],
    ['a string', 'x'],
    ['a numeric string', '5'],
    ['a boolean', true],
    ['huge', 1e300],
  ])('refuses a rate_limit that is %s with a 422 naming it, changing nothing', (_label, rate_limit) => {
    it('on POST', async () => {
      const before = await rowCounts(h);
      const res = await h.http().post('/v1/webhooks').set(account.auth).send({ ...BODY, rate_limit }).expect(422);
      expect(res.body.error).toMatchObject({ code: 'validation_failed', details: [expect.objectContaining({ path: 'rate_limit' })] });
      expect(await rowCounts(h)).toEqual(before);
    });

    it('on PUT', async () => {
      const created = await createWebhook(h, account, { ...BODY, rate_limit: 7 });
      const before = await h.sql.query('SELECT * FROM webhooks WHERE id = $1', [created.id]);
      const res = await h.http().put(`/v1/webhooks/${created.id}`).set(account.auth).send({ ...BODY, rate_limit }).expect(422);
      expect(res.body.error).toMatchObject({ code: 'validation_failed', details: [expect.objectContaining({ path: 'rate_limit' })] });
      expect((await h.sql.query('SELECT * FROM webhooks WHERE id = $1', [created.id])).rows).toEqual(before.rows);
    });
  });

  it("cannot set another account's webhook: 404, and its limit stays", async () => {
    const other = await createAccount(h, 'Other');
    const theirs = await createWebhook(h, other, { ...BODY, rate_limit: 3 });
    const res = await h.http().put(`/v1/webhooks/${theirs.id}`).set(account.auth).send({ ...BODY, rate_limit: 9 }).expect(404);
    expect(res.body.error.code).toBe('not_found');
    expect(await stored(theirs.id)).toBe(3);
  });
});
