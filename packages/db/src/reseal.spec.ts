import { randomBytes } from 'node:crypto';
import { sealV1 } from '../test/support/seal-v1.js';
import { scratchDatabase } from '../test/support/scratch-database.js';
import { createDataSource } from './data-source.js';
import { newId, type WebhookId } from './ids.js';
import { migrate } from './migrate.js';
import { IdempotencyRepository } from './repositories/idempotency.repository.js';
import { WebhooksRepository } from './repositories/webhooks.repository.js';
import { reseal } from './reseal.js';
import { SecretBox, secretKeyId } from './secret-box.js';

/**
 * Rotating INBOX_SECRET_KEY end to end on a real database: values sealed under key A (and the older
 * v1 format, and idempotent answers stored in clear before sealing) open while B is current and A
 * previous; `reseal` moves all of them to B in small batches; afterwards B alone opens everything
 * and nothing under A is left.
 */
describe('key rotation and reseal (real Postgres)', () => {
  const db = scratchDatabase('reseal');
  const dataSource = createDataSource(db.url, 2);
  const keyA = randomBytes(32);
  const keyB = randomBytes(32);
  const onlyA = new SecretBox(keyA);
  const rotated = new SecretBox(keyB, [keyA]);
  const onlyB = new SecretBox(keyB);
  const webhooks = new WebhooksRepository(dataSource);
  const accountId = newId('account');
  /** Each webhook's id and clear secret. */
  const secrets = new Map<WebhookId, string>();
  /** The secret a rotation replaced, by webhook id, while it still signs. */
  const previousSecrets = new Map<WebhookId, string>();
  /** Each stored answer's key and the body it must replay. */
  const answers = new Map<string, unknown>();

  const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

  async function createWebhook(secretSealed: (secret: string) => string): Promise<WebhookId> {
    const secret = newSecret();
    const result = await webhooks.create(
      accountId,
      { id: newId('webhook'), url: 'https://example.com/hook', events: ['message.read'], description: null, secretSealed: secretSealed(secret) },
      100,
    );
    if (!('created' in result)) throw new Error('webhook not created');
    secrets.set(result.created.id, secret);
    return result.created.id;
  }

  async function storeAnswer(box: SecretBox, key: string, body: unknown): Promise<void> {
    const store = new IdempotencyRepository(dataSource, box);
    expect(await store.claim(accountId, key, 'hash')).toEqual({ state: 'claimed' });
    await store.complete(accountId, key, 201, body);
    answers.set(key, body);
  }

  /** The sealed previous secret of a webhook (rotated: the secret it replaced). */
  async function sealedPreviousSecret(id: WebhookId): Promise<string> {
    const rows: Array<{ sealed: string }> = await dataSource.query(`SELECT previous_secret_sealed AS sealed FROM webhooks WHERE id = $1`, [id]);
    return rows[0]!.sealed;
  }

  /** Every secret and answer, opened with `box` (throws if one does not open). */
  async function expectAllOpen(box: SecretBox): Promise<void> {
    for (const [id, secret] of secrets) expect(box.open((await webhooks.findSealedSecret(accountId, id))!)).toBe(secret);
    for (const [id, secret] of previousSecrets) expect(box.open(await sealedPreviousSecret(id))).toBe(secret);
    const store = new IdempotencyRepository(dataSource, box);
    for (const [key, body] of answers) expect(await store.claim(accountId, key, 'hash')).toEqual({ state: 'replay', statusCode: 201, body });
  }

  /** Every value in the database that `box` did not seal under its current key. */
  async function notUnderCurrentKey(box: SecretBox): Promise<string[]> {
    const rows: Array<{ value: string }> = await dataSource.query(
      `SELECT secret_sealed AS value FROM webhooks
        UNION ALL SELECT previous_secret_sealed FROM webhooks WHERE previous_secret_sealed IS NOT NULL
        UNION ALL SELECT COALESCE(response_body->>'sealed', response_body::text) FROM idempotency_keys`,
    );
    return rows.map((r) => r.value).filter((value) => !box.isCurrent(value));
  }

  beforeAll(async () => {
    await migrate(db.url, () => {});
    await dataSource.initialize();
    await dataSource.query(`INSERT INTO accounts (id, name) VALUES ($1, 'Acme')`, [accountId]);
    for (let i = 0; i < 5; i++) await createWebhook((secret) => onlyA.seal(secret));
    // A secret rotation: the replaced secret, sealed under A too, keeps signing for an hour.
    const rotatedWebhook = [...secrets.keys()][0]!;
    const replacement = newSecret();
    await webhooks.rotateSecret(accountId, rotatedWebhook, onlyA.seal(replacement), 3600);
    previousSecrets.set(rotatedWebhook, secrets.get(rotatedWebhook)!);
    secrets.set(rotatedWebhook, replacement);
    await createWebhook((secret) => sealV1(keyA, secret));
    const deleted = await createWebhook((secret) => onlyA.seal(secret));
    await webhooks.softDelete(accountId, deleted);
    secrets.delete(deleted); // its secret is no longer readable through the repository, but is re-sealed too
    await storeAnswer(onlyA, 'create-webhook', { id: 'wh_1', secret: 'whsec_in_an_answer' });
    await storeAnswer(onlyA, 'create-key', { id: 'acct_1', api_key: 'inbox_sk_in_an_answer' });
    // Stored in clear by the code before answers were sealed.
    await dataSource.query(
      `INSERT INTO idempotency_keys (account_id, key, request_hash, status_code, response_body) VALUES ($1, 'legacy', 'hash', 201, $2::jsonb)`,
      [accountId, JSON.stringify({ api_key: 'inbox_sk_legacy_clear' })],
    );
    answers.set('legacy', { api_key: 'inbox_sk_legacy_clear' });
  });

  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  it('opens everything with B current and A previous, re-seals it all under B, and then B alone opens it', async () => {
    await expectAllOpen(rotated);
    await storeAnswer(rotated, 'after-rotation', { secret: 'whsec_sealed_under_b' });
    expect(await notUnderCurrentKey(rotated)).toHaveLength(7 + 1 + 3);

    const log: string[] = [];
    const report = await reseal(dataSource, rotated, { batchSize: 2, log: (line) => log.push(line) });
    expect(report).toEqual({
      webhookSecrets: { resealed: 7, unreadable: 0 },
      previousWebhookSecrets: { resealed: 1, unreadable: 0 },
      idempotentAnswers: { resealed: 3, unreadable: 0 },
    });
    expect(log).toEqual([
      'webhookSecrets: 7 re-sealed, 0 unreadable',
      'previousWebhookSecrets: 1 re-sealed, 0 unreadable',
      'idempotentAnswers: 3 re-sealed, 0 unreadable',
    ]);

    expect(await notUnderCurrentKey(onlyB)).toEqual([]);
    const dump: Array<{ text: string }> = await dataSource.query(
      `SELECT string_agg(t::text, ' ') AS text FROM (SELECT w::text AS t FROM webhooks w UNION ALL SELECT k::text FROM idempotency_keys k) all_rows`,
    );
    expect(dump[0]!.text).not.toContain(secretKeyId(keyA));
    expect(dump[0]!.text).not.toContain('inbox_sk_legacy_clear');
    await expectAllOpen(onlyB);
    const resealedSecret = (await webhooks.findSealedSecret(accountId, [...secrets.keys()][0]!))!;
    expect(() => onlyA.open(resealedSecret)).toThrow();

    // Idempotent: nothing left to do.
    expect(await reseal(dataSource, rotated, { batchSize: 2 })).toEqual({
      webhookSecrets: { resealed: 0, unreadable: 0 },
      previousWebhookSecrets: { resealed: 0, unreadable: 0 },
      idempotentAnswers: { resealed: 0, unreadable: 0 },
    });
  });

  it('counts values no configured key opens, leaves them as they are, and re-seals the rest', async () => {
    const lostKey = new SecretBox(randomBytes(32));
    const unreadable = await createWebhook((secret) => lostKey.seal(secret));
    secrets.delete(unreadable);
    const keyC = randomBytes(32);
    const next = new SecretBox(keyC, [keyB]);

    const report = await reseal(dataSource, next, { batchSize: 2 });
    expect(report).toEqual({
      webhookSecrets: { resealed: 7, unreadable: 1 },
      previousWebhookSecrets: { resealed: 1, unreadable: 0 },
      idempotentAnswers: { resealed: 4, unreadable: 0 },
    });
    expect(await notUnderCurrentKey(next)).toEqual([(await webhooks.findSealedSecret(accountId, unreadable))!]);
    await expectAllOpen(new SecretBox(keyC));
  });
});
