import { INTERNAL_TOKEN, startApi, type Harness } from './support/harness.js';

const internalAuth = { Authorization: `Bearer ${INTERNAL_TOKEN}` };
const bearer = (apiKey: string) => ({ Authorization: `Bearer ${apiKey}` });

/**
 * Every webhook secret and API key the API hands out, by every route that hands them out, with
 * Idempotency-Key (as the SDK always sends) and without, replayed: afterwards no column of any table
 * of the database holds one of them in clear (each value cast to text, jsonb included).
 */
describe('secrets at rest: a full tour, then a scan of every column of every table', () => {
  let h: Harness;
  /** Every secret and key handed out, as the caller saw it. */
  const handedOut: string[] = [];

  beforeAll(async () => {
    h = await startApi('api_secrets_at_rest');
  });

  afterAll(async () => {
    await h?.close();
  });

  /** POSTs twice with the same Idempotency-Key: the replay must be the first answer, secret included. */
  async function postTwice(path: string, key: string, auth: Record<string, string>, body: object, status = 201) {
    const first = await h.http().post(path).set(auth).set('Idempotency-Key', key).send(body).expect(status);
    const replay = await h.http().post(path).set(auth).set('Idempotency-Key', key).send(body).expect(status);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    return first.body as Record<string, string>;
  }

  /** `table.column` of every column holding `needle` anywhere in its text form. */
  async function columnsHolding(needle: string): Promise<string[]> {
    const { rows: columns } = await h.sql.query<{ table_name: string; column_name: string }>(
      `SELECT c.table_name, c.column_name FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
        WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
        ORDER BY c.table_name, c.ordinal_position`,
    );
    expect(columns.length).toBeGreaterThan(30);
    const found: string[] = [];
    for (const { table_name: table, column_name: column } of columns) {
      const { rows } = await h.sql.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${table}" WHERE strpos("${column}"::text, $1) > 0`,
        [needle],
      );
      if (rows[0]!.n > 0) found.push(`${table}.${column}`);
    }
    return found;
  }

  it('hands out keys and secrets (replays included), and can read each secret back', async () => {
    const account = await postTwice('/internal/v1/accounts', 'tour-account', internalAuth, { name: 'Tour' });
    const extraKey = await postTwice(`/internal/v1/accounts/${account.id}/keys`, 'tour-key', internalAuth, {});
    const plain = await h.http().post('/internal/v1/accounts').set(internalAuth).send({ name: 'No idempotency key' }).expect(201);
    handedOut.push(account.api_key!, extraKey.api_key!, plain.body.api_key);

    for (const [i, apiKey] of [account.api_key!, extraKey.api_key!].entries()) {
      const webhook = await postTwice('/v1/webhooks', `tour-webhook-${i}`, bearer(apiKey), { url: `https://example.com/tour/${i}`, events: ['message.read'] });
      expect(webhook.secret).toMatch(/^whsec_/);
      const read = await h.http().get(`/v1/webhooks/${webhook.id}/secret`).set(bearer(apiKey)).expect(200);
      expect(read.body.secret).toBe(webhook.secret);
      handedOut.push(webhook.secret!);
      // A rotation hands out a new secret and keeps the old one signing for a while: both sealed.
      const rotated = await postTwice(`/v1/webhooks/${webhook.id}/secret/rotate`, `tour-rotate-${i}`, bearer(apiKey), { expire_in_seconds: 600 }, 200);
      expect((await h.http().get(`/v1/webhooks/${webhook.id}/secret`).set(bearer(apiKey)).expect(200)).body.secret).toBe(rotated.secret);
      handedOut.push(rotated.secret!);
    }
    const plainWebhook = await h.http().post('/v1/webhooks').set(bearer(plain.body.api_key)).send({ url: 'https://example.com/plain', events: ['message.read'] }).expect(201);
    handedOut.push(plainWebhook.body.secret);

    expect(handedOut).toHaveLength(8);
    expect(new Set(handedOut).size).toBe(8);
  });

  it('keeps none of them in clear in any column of any table', async () => {
    // The scan finds what is there: the account's id is in several tables.
    const { rows } = await h.sql.query<{ id: string }>(`SELECT id FROM accounts ORDER BY id LIMIT 1`);
    expect(await columnsHolding(rows[0]!.id)).toEqual(expect.arrayContaining(['accounts.id', 'api_keys.account_id', 'webhooks.account_id']));
    const { rows: answers } = await h.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM idempotency_keys WHERE status_code = 201`);
    expect(answers[0]!.n).toBe(4);

    for (const secret of handedOut) {
      // The whole value, and its random part alone (after `whsec_` or `inbox_sk_`).
      const randomPart = secret.replace(/^(whsec_|inbox_sk_)/, '');
      expect({ secret, found: await columnsHolding(secret) }).toEqual({ secret, found: [] });
      expect({ randomPart, found: await columnsHolding(randomPart) }).toEqual({ randomPart, found: [] });
    }
  });

  it('still replays an answer stored in clear before answers were sealed', async () => {
    const legacy = { id: 'acct_legacy', api_key: 'inbox_sk_stored_before_sealing' };
    const first = await h.http().post('/internal/v1/accounts').set(internalAuth).set('Idempotency-Key', 'legacy').send({ name: 'Legacy' }).expect(201);
    expect(first.body.id).not.toBe(legacy.id);
    // What the older code stored for that request: the answer itself.
    await h.sql.query(`UPDATE idempotency_keys SET response_body = $1::jsonb WHERE account_id = 'internal' AND key = 'legacy'`, [JSON.stringify(legacy)]);
    const replay = await h.http().post('/internal/v1/accounts').set(internalAuth).set('Idempotency-Key', 'legacy').send({ name: 'Legacy' }).expect(201);
    expect(replay.body).toEqual(legacy);
  });
});
