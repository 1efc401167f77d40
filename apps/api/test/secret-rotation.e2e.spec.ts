import { SecretBox } from '@inbox/db';
import { isValidSecret } from '@inbox/signing';
import {
  createAccount,
  createWebhook,
  rowCounts,
  startApi,
  type Harness,
  type TestAccount,
} from './support/harness.js';

const DAY_MS = 86_400_000;

describe('POST /v1/webhooks/{id}/secret/rotate', () => {
  let h: Harness;
  let account: TestAccount;
  let box: SecretBox;

  beforeAll(async () => {
    h = await startApi('api_secret_rotation');
    account = await createAccount(h);
    box = new SecretBox(h.config.secretKey);
  });

  afterAll(async () => {
    await h?.close();
  });

  const rotate = (id: string, who: TestAccount = account) =>
    h.http().post(`/v1/webhooks/${id}/secret/rotate`).set(who.auth);

  /** The webhook's secrets as stored: the current one and the previous one (with its expiry), opened. */
  async function stored(id: string): Promise<{ secret: string; previous: string | null; expiresAt: Date | null }> {
    const { rows } = await h.sql.query(
      'SELECT secret_sealed, previous_secret_sealed, previous_secret_expires_at FROM webhooks WHERE id = $1',
      [id],
    );
    const row = rows[0];
    return {
      secret: box.open(row.secret_sealed),
      previous: row.previous_secret_sealed === null ? null : box.open(row.previous_secret_sealed),
      expiresAt: row.previous_secret_expires_at,
    };
  }

  it('without a body: 200 with a new secret; the old one keeps signing for a day; GET /secret shows the new one', async () => {
    const webhook = await createWebhook(h, account);
    const before = Date.now();
    const res = await rotate(webhook.id).expect(200);
    expect(res.body).toEqual({ secret: expect.any(String), previous_secret_expires_at: expect.any(String) });
    expect(isValidSecret(res.body.secret)).toBe(true);
    expect(res.body.secret).not.toBe(webhook.secret);
    const expiresAt = Date.parse(res.body.previous_secret_expires_at);
    expect(res.body.previous_secret_expires_at).toBe(new Date(expiresAt).toISOString());
    expect(expiresAt).toBeGreaterThanOrEqual(before + DAY_MS - 5_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + DAY_MS + 5_000);

    expect((await h.http().get(`/v1/webhooks/${webhook.id}/secret`).set(account.auth).expect(200)).body).toEqual({
      secret: res.body.secret,
    });
    expect(await stored(webhook.id)).toEqual({
      secret: res.body.secret,
      previous: webhook.secret,
      expiresAt: new Date(expiresAt),
    });
    const got = await h.http().get(`/v1/webhooks/${webhook.id}`).set(account.auth).expect(200);
    expect(Date.parse(got.body.updated_at)).toBeGreaterThan(Date.parse(webhook.updated_at as string));
  });

  it('takes expire_in_seconds; rotating again during the overlap makes the current secret the previous one', async () => {
    const webhook = await createWebhook(h, account);
    const first = await rotate(webhook.id).send({ expire_in_seconds: 60 }).expect(200);
    const expiresAt = Date.parse(first.body.previous_secret_expires_at);
    expect(expiresAt).toBeGreaterThan(Date.now() + 50_000);
    expect(expiresAt).toBeLessThan(Date.now() + 70_000);

    const second = await rotate(webhook.id).send({ expire_in_seconds: 604_800 }).expect(200);
    expect(Date.parse(second.body.previous_secret_expires_at)).toBeGreaterThan(Date.now() + 7 * DAY_MS - 10_000);
    // The first secret stopped: only the one the second rotation replaced still signs.
    expect(await stored(webhook.id)).toMatchObject({ secret: second.body.secret, previous: first.body.secret });
  });

  it('with expire_in_seconds 0 drops the old secret at once: previous_secret_expires_at is null', async () => {
    const webhook = await createWebhook(h, account);
    await rotate(webhook.id).send({ expire_in_seconds: 3600 }).expect(200);
    const res = await rotate(webhook.id).send({ expire_in_seconds: 0 }).expect(200);
    expect(res.body).toEqual({ secret: expect.any(String), previous_secret_expires_at: null });
    expect(await stored(webhook.id)).toEqual({ secret: res.body.secret, previous: null, expiresAt: null });
  });

  it.each<[string, unknown]>([
    ['a negative number', { expire_in_seconds: -1 }],
    ['more than 7 days', { expire_in_seconds: 604_801 }],
    ['a fraction', { expire_in_seconds: 1.5 }],
    ['a string', { expire_in_seconds: '60' }],
    ['null', { expire_in_seconds: null }],
  ])('refuses expire_in_seconds as %s with 422 naming the field, and changes nothing', async (_what, body) => {
    const webhook = await createWebhook(h, account);
    const before = { counts: await rowCounts(h), stored: await stored(webhook.id) };
    const res = await rotate(webhook.id)
      .send(body as object)
      .expect(422);
    expect(res.body.error).toMatchObject({
      code: 'validation_failed',
      details: [{ path: 'expire_in_seconds', message: expect.stringContaining('0 to 604800') }],
    });
    expect({ counts: await rowCounts(h), stored: await stored(webhook.id) }).toEqual(before);
  });

  it('refuses other fields and bodies that are not an object with 422, and changes nothing', async () => {
    const webhook = await createWebhook(h, account);
    const before = await stored(webhook.id);
    const extra = await rotate(webhook.id).send({ expire_in_seconds: 60, secret: 'whsec_mine' }).expect(422);
    expect(extra.body.error.code).toBe('validation_failed');
    await rotate(webhook.id).send([60]).expect(422);
    await rotate(webhook.id).set('Content-Type', 'application/json').send('null').expect(422);
    expect(await stored(webhook.id)).toEqual(before);
  });

  it("answers 404 for another account's webhook, a deleted one and an id that is no webhook's, and changes nothing", async () => {
    const other = await createAccount(h, 'Other');
    const theirs = await createWebhook(h, other);
    const deleted = await createWebhook(h, account);
    await h.http().delete(`/v1/webhooks/${deleted.id}`).set(account.auth).expect(204);
    const before = { theirs: await stored(theirs.id), deleted: await stored(deleted.id), counts: await rowCounts(h) };
    for (const id of [theirs.id, deleted.id, 'wh_nope', 'evt_01JD0Y6J6R8Z3Q4W5E6R7T8Y9U']) {
      const res = await rotate(id).send({ expire_in_seconds: 60 }).expect(404);
      expect(res.body.error.code).toBe('not_found');
    }
    expect({ theirs: await stored(theirs.id), deleted: await stored(deleted.id), counts: await rowCounts(h) }).toEqual(
      before,
    );
  });

  it('with an Idempotency-Key rotates once: a repeat replays the same new secret, stored sealed', async () => {
    const webhook = await createWebhook(h, account);
    const send = () =>
      rotate(webhook.id).set('Idempotency-Key', `rotate-${webhook.id}`).send({ expire_in_seconds: 600 }).expect(200);
    const first = await send();
    const replay = await send();
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    // Rotated once: the previous secret is still the original, not the first rotation's.
    expect(await stored(webhook.id)).toMatchObject({ secret: first.body.secret, previous: webhook.secret });
    const { rows } = await h.sql.query(`SELECT response_body::text AS body FROM idempotency_keys WHERE key = $1`, [
      `rotate-${webhook.id}`,
    ]);
    expect(rows[0].body).not.toContain(first.body.secret.slice('whsec_'.length));
  });

  it('is in the OpenAPI document as rotateWebhookSecret, with an optional body and both schemas', async () => {
    const { body: doc } = await h.http().get('/docs-json').expect(200);
    const operation = doc.paths['/v1/webhooks/{id}/secret/rotate'].post;
    expect(operation.operationId).toBe('rotateWebhookSecret');
    expect(operation.requestBody).toEqual({
      required: false,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/RotateWebhookSecretRequest' } } },
    });
    expect(operation.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/RotatedWebhookSecret',
    });
    expect(Object.keys(operation.responses).sort()).toEqual(expect.arrayContaining(['200', '404', '422']));
    const request = doc.components.schemas.RotateWebhookSecretRequest;
    expect(request).toMatchObject({ additionalProperties: false, example: { expire_in_seconds: 86_400 } });
    expect(request.properties.expire_in_seconds).toMatchObject({ type: 'integer', minimum: 0, maximum: 604_800 });
    expect(doc.components.schemas.RotatedWebhookSecret.required).toEqual(['secret', 'previous_secret_expires_at']);
  });
});
