import { exampleEvents } from '@inbox/events';
import { IdempotencyJanitor } from '../src/idempotency/idempotency-janitor.js';
import { createAccount, createWebhook, internalAuth, rowCounts, startApi, type Harness, type TestAccount, withoutRequestId } from './support/harness.js';

describe('Idempotency-Key on POSTs', () => {
  let h: Harness;
  let account: TestAccount;

  beforeAll(async () => {
    h = await startApi('api_idempotency');
    account = await createAccount(h);
  });

  afterAll(async () => {
    await h?.close();
  });

  const body = { url: 'https://example.com/idem', events: ['message.read'] };

  it('replays the first answer (status and body) for a repeat and creates nothing new', async () => {
    const first = await h.http().post('/v1/webhooks').set(account.auth).set('Idempotency-Key', 'create-1').send(body).expect(201);
    const before = await rowCounts(h);
    const again = await h.http().post('/v1/webhooks').set(account.auth).set('Idempotency-Key', 'create-1').send(body).expect(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await rowCounts(h)).toEqual(before);
  });

  it('answers 422 idempotency_key_reused for the same key with a different body', async () => {
    await h.http().post('/v1/webhooks').set(account.auth).set('Idempotency-Key', 'create-2').send(body).expect(201);
    const before = await rowCounts(h);
    const res = await h.http().post('/v1/webhooks').set(account.auth).set('Idempotency-Key', 'create-2').send({ ...body, url: 'https://example.com/other' }).expect(422);
    expect(res.body.error.code).toBe('idempotency_key_reused');
    expect(await rowCounts(h)).toEqual(before);
  });

  it('scopes keys to the account', async () => {
    const other = await createAccount(h, 'Other');
    const mine = await h.http().post('/v1/webhooks').set(account.auth).set('Idempotency-Key', 'shared-key').send(body).expect(201);
    const theirs = await h.http().post('/v1/webhooks').set(other.auth).set('Idempotency-Key', 'shared-key').send(body).expect(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
  });

  it('replays client errors too, but not for another request', async () => {
    const bad = await h.http().post('/v1/webhooks').set(account.auth).set('Idempotency-Key', 'bad-1').send({ url: 'ftp://x', events: ['message.read'] }).expect(422);
    const again = await h.http().post('/v1/webhooks').set(account.auth).set('Idempotency-Key', 'bad-1').send({ url: 'ftp://x', events: ['message.read'] }).expect(422);
    // The same error; each answer names its own request (error.request_id, as X-Request-Id).
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.error.request_id).toBe(again.headers['x-request-id']);
    expect(withoutRequestId(again.body)).toEqual(withoutRequestId(bad.body));
  });

  it('makes the test route send once', async () => {
    const webhook = await createWebhook(h, account);
    const send = () => h.http().post('/v1/webhooks/test').set(account.auth).set('Idempotency-Key', 'test-once').send({ webhook_id: webhook.id, event_type: 'message.read' }).expect(202);
    const first = await send();
    const before = await rowCounts(h);
    expect((await send()).body).toEqual(first.body);
    expect(await rowCounts(h)).toEqual(before);
  });

  it('works on internal POSTs: account creation and ingest', async () => {
    const first = await h.http().post('/internal/v1/accounts').set(internalAuth).set('Idempotency-Key', 'acct-1').send({ name: 'Once' }).expect(201);
    const before = await rowCounts(h);
    const again = await h.http().post('/internal/v1/accounts').set(internalAuth).set('Idempotency-Key', 'acct-1').send({ name: 'Once' }).expect(201);
    expect(again.body).toEqual(first.body);
    expect(await rowCounts(h)).toEqual(before);

    const event = { account_id: account.id, type: 'message.read', data: exampleEvents['message.read'].data };
    const ingested = await h.http().post('/internal/v1/events').set(internalAuth).set('Idempotency-Key', 'ingest-1').send(event).expect(202);
    const beforeIngest = await rowCounts(h);
    const replay = await h.http().post('/internal/v1/events').set(internalAuth).set('Idempotency-Key', 'ingest-1').send(event).expect(202);
    expect(replay.body).toEqual(ingested.body);
    expect(await rowCounts(h)).toEqual(beforeIngest);
  });

  it('forgets keys after 24 hours', async () => {
    const first = await h.http().post('/v1/webhooks').set(account.auth).set('Idempotency-Key', 'old-key').send(body).expect(201);
    await h.sql.query(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'old-key'`);
    const later = await h.http().post('/v1/webhooks').set(account.auth).set('Idempotency-Key', 'old-key').send(body).expect(201);
    expect(later.body.id).not.toBe(first.body.id);
  });

  it('purges answers past 24 hours', async () => {
    await h.http().post('/v1/webhooks').set(account.auth).set('Idempotency-Key', 'to-purge').send(body).expect(201);
    await h.sql.query(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'to-purge'`);
    expect(await h.app.get(IdempotencyJanitor).purge()).toBeGreaterThanOrEqual(1);
    const { rows } = await h.sql.query(`SELECT count(*)::int AS n FROM idempotency_keys WHERE created_at < now() - interval '24 hours'`);
    expect(rows[0].n).toBe(0);
  });

  it('answers 409 while the first request with the key is still running', async () => {
    await h.http().post('/v1/webhooks').set(account.auth).set('Idempotency-Key', 'running').send(body).expect(201);
    // Put the key back in the state it has while its first request runs (claimed, no answer yet).
    await h.sql.query(`UPDATE idempotency_keys SET status_code = 0, response_body = 'null' WHERE key = 'running'`);
    const before = await rowCounts(h);
    const res = await h.http().post('/v1/webhooks').set(account.auth).set('Idempotency-Key', 'running').send(body).expect(409);
    expect(res.body.error.code).toBe('idempotency_request_in_progress');
    expect(await rowCounts(h)).toEqual(before);
  });
});
