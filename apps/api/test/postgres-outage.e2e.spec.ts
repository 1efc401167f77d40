import type { Response } from 'supertest';
import { exampleEvents } from '@inbox/events';
import { DependencyGauge, loadApiConfig, MetricsServer } from '@inbox/server';
import { databaseUrl, metricSample, startTcpProxy, TEST_SERVER_URL, testEnv, type TcpProxy } from '@inbox/testing';
import { createApiApp } from '../src/bootstrap.js';
import { createAccount, createWebhook, internalAuth, startApi, type Harness, type TestAccount } from './support/harness.js';

/** Short bounds, so the stalled case answers quickly too (the defaults are 2 s and 5 s). */
const DATABASE_TIMEOUTS = { DATABASE_CONNECT_TIMEOUT: '500ms', DATABASE_STATEMENT_TIMEOUT: '1s' };
/** Loose: by design a refused or reset Postgres answers at once, a stalled one within the bounds above. */
const QUICK_MS = 5_000;

const read = exampleEvents['message.read'];

/** Sends a request and measures how long its answer took. */
async function timed(request: Promise<Response>): Promise<{ res: Response; ms: number }> {
  const started = Date.now();
  const res = await request;
  return { res, ms: Date.now() - started };
}

function expectUnavailable({ res, ms }: { res: Response; ms: number }): void {
  expect({ status: res.status, code: res.body.error?.code, retryAfter: res.headers['retry-after'] }).toEqual({ status: 503, code: 'unavailable', retryAfter: '2' });
  expect(res.body.error.message).toMatch(/retry/);
  expect(ms).toBeLessThan(QUICK_MS);
}

/**
 * The API with its Postgres taken away, honestly: the app reaches its own test database through a
 * TCP proxy (the shared Postgres keeps serving every other test) that refuses connections and
 * resets open ones (Postgres stopped), or black-holes them (a network that drops packets), and is
 * then restored — with no restart of the app in between.
 */
describe('Postgres unavailable: a quick 503 unavailable with Retry-After, then service again by itself', () => {
  let proxy: TcpProxy;
  let h: Harness;
  let account: TestAccount;
  let webhookId: string;

  const ingest = (headers: Record<string, string> = {}) =>
    h.http().post('/internal/v1/events').set(internalAuth).set(headers).send({ account_id: account.id, type: 'message.read', data: read.data });
  const listWebhooks = () => h.http().get('/v1/webhooks').set(account.auth);
  /** `inbox_dependency_up{dependency="postgres"}` after a check (as its 5 s timer makes). */
  const postgresUp = async () => {
    await h.app.get(DependencyGauge).check();
    return metricSample(await (await fetch(h.app.get(MetricsServer).url)).text(), 'inbox_dependency_up', { dependency: 'postgres' });
  };

  beforeAll(async () => {
    proxy = await startTcpProxy(TEST_SERVER_URL);
    h = await startApi('api_pg_outage', DATABASE_TIMEOUTS, { reachDatabase: (url) => proxy.via(url) });
    account = await createAccount(h);
    webhookId = (await createWebhook(h, account, { url: 'https://example.com/hook', events: ['message.read'] })).id;
  });

  afterAll(async () => {
    await proxy?.pass();
    await h?.close();
    await proxy?.close();
  });

  it('Postgres stopped (connections refused and reset): ingest, the API key check and an Idempotency-Key request answer 503; after it, all serve again', async () => {
    await proxy.down();
    expectUnavailable(await timed(ingest()));
    expectUnavailable(await timed(listWebhooks())); // the API key guard's lookup is the first query of every /v1 request
    expectUnavailable(await timed(ingest({ 'Idempotency-Key': 'outage-1' })));
    expectUnavailable(await timed(h.http().post('/v1/webhooks').set(account.auth).send({ url: 'https://example.com/x', events: ['message.read'] })));
    expect(await postgresUp()).toBe(0);

    await proxy.pass();
    expect(await postgresUp()).toBe(1);
    const accepted = await ingest().expect(202);
    expect(accepted.body).toMatchObject({ id: expect.stringMatching(/^evt_/), deliveries: 1 });
    // The 503 was not stored as the key's answer: the same key now runs, and its answer is replayed.
    const first = await ingest({ 'Idempotency-Key': 'outage-1' }).expect(202);
    const replay = await ingest({ 'Idempotency-Key': 'outage-1' }).expect(202);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    const { rows } = await h.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE id = ANY($1)`, [[accepted.body.id, first.body.id]]);
    expect(rows[0]!.n).toBe(2);
    expect((await listWebhooks().expect(200)).body.data.map((w: { id: string }) => w.id)).toEqual([webhookId]);
  });

  it('Postgres silent (a black hole: open connections stall, new ones never complete): 503 within the bounds, not a hang', async () => {
    await listWebhooks().expect(200); // a pooled connection is open: the stall catches it mid-query
    proxy.stall();
    const answers = await Promise.all([timed(listWebhooks()), timed(ingest())]);
    answers.forEach(expectUnavailable);

    await proxy.pass();
    await listWebhooks().expect(200);
    await ingest().expect(202);
  });

  it('an API started while Postgres is down starts anyway, answers 503, and connects once Postgres is back', async () => {
    await proxy.down();
    const started = Date.now();
    const late = await startApi('api_pg_late', DATABASE_TIMEOUTS, { reachDatabase: (url) => proxy.via(url) });
    try {
      expect(Date.now() - started).toBeLessThan(15_000); // booting alone takes a few seconds on a busy machine
      expectUnavailable(await timed(late.http().post('/internal/v1/accounts').set(internalAuth).send({ name: 'Late' })));
      const ready = await late.http().get('/health/ready');
      expect({ status: ready.status, code: ready.body.error?.code }).toEqual({ status: 503, code: 'unavailable' });

      await proxy.pass();
      const deadline = Date.now() + 15_000;
      let res = await late.http().post('/internal/v1/accounts').set(internalAuth).send({ name: 'Late' });
      while (res.status === 503 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        res = await late.http().post('/internal/v1/accounts').set(internalAuth).send({ name: 'Late' });
      }
      expect(res.status).toBe(201);
    } finally {
      await late.close();
    }
  });

  it('refuses to start on a configuration error (no such database) instead of waiting for it', async () => {
    const app = await createApiApp(loadApiConfig(testEnv({ DATABASE_URL: databaseUrl('inbox_no_such_database') })));
    try {
      await expect(app.init()).rejects.toThrow(/database "inbox_no_such_database" does not exist/);
    } finally {
      await app.close().catch(() => undefined);
    }
  });
});
