import { createDataSource } from '@inbox/db';
import { exampleEvents } from '@inbox/events';
import { verifyInboxSignature } from '@inbox/signing';
import { createTestDatabase, createTestRedisPrefix, startPgBouncer, startReceiver, testEnv, type PgBouncer, type Receiver } from '@inbox/testing';
import { ApiClient } from './support/api-client.js';
import { API_MAIN, DISPATCHER_MAIN, kill, runApps, type RunningProcess } from './support/process.js';
import { waitFor } from './support/wait.js';


/**
 * Both built apps behind a PgBouncer of this file's own in TRANSACTION mode (stock settings: no
 * `ignore_startup_parameters` for session settings) in front of the shared Postgres, with
 * DATABASE_POOLER=pgbouncer: events are ingested, delivered, read back, and removed by the
 * retention cleanup, every statement through the pooler.
 */
describe('behind PgBouncer in transaction mode', () => {
  let bouncer: PgBouncer;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let redis: ReturnType<typeof createTestRedisPrefix>;
  let receiver: Receiver;
  let api: RunningProcess | undefined;
  let dispatcher: RunningProcess | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    [bouncer, db, receiver] = await Promise.all([startPgBouncer(), createTestDatabase('pgbouncer'), startReceiver()]);
    redis = createTestRedisPrefix('pgbouncer');
    env = testEnv({
      DATABASE_URL: bouncer.url(db.name),
      DATABASE_POOLER: 'pgbouncer',
      REDIS_URL: redis.url,
      INBOX_QUEUE_PREFIX: redis.prefix,
      INBOX_RETENTION: '4s',
    });
    [api, dispatcher] = (await runApps([API_MAIN, DISPATCHER_MAIN], env)) as [RunningProcess, RunningProcess];
  }, 30_000);

  afterAll(async () => {
    await kill(dispatcher);
    await kill(api);
    await receiver?.close();
    await bouncer?.stop();
    await redis?.cleanup();
    await db?.drop();
  });

  it('refuses session settings sent as startup parameters, which is why DATABASE_POOLER=pgbouncer leaves them out', async () => {
    const withStartupParameters = createDataSource(bouncer.url(db.name), 1, { connectMs: 2_000, statementMs: 5_000 });
    await expect(withStartupParameters.initialize()).rejects.toThrow(/unsupported startup parameter/);
    const pooled = createDataSource(bouncer.url(db.name), 1, { connectMs: 2_000, statementMs: 5_000, startupParameters: false });
    await pooled.initialize();
    expect(await pooled.query(`SELECT 1 AS one`)).toEqual([{ one: 1 }]);
    await pooled.destroy();
  });

  it('ingests, delivers and serves an event end to end, then removes it after INBOX_RETENTION', async () => {
    const client = new ApiClient(api!.url, env.INBOX_INTERNAL_TOKEN!);
    const account = await client.createAccount('Pooled Inc');
    const hook = await client.createWebhook(account.api_key, `${receiver.url}/pooled`);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await client.ingest({ account_id: account.id, type: 'message.read', data: { ...exampleEvents['message.read'].data, message_id: `msg_${i}` } }));

    await waitFor('all five delivered', () => ids.every((id) => receiver.requests.some((r) => r.headers['x-inbox-event-id'] === id)), { timeoutMs: 10_000 });
    for (const request of receiver.requests) expect(verifyInboxSignature(request.body, request.headers['x-inbox-signature'], hook.secret)).toBe(true);

    const getEvent = (id: string) => fetch(`${api!.url}/v1/events/${id}`, { headers: { authorization: `Bearer ${account.api_key}` } });
    const succeeded = await waitFor('the delivery recorded as succeeded', async () => {
      const res = await getEvent(ids[0]!);
      const body = (await res.json()) as { deliveries?: Array<{ status: string }> };
      return res.status === 200 && body.deliveries?.[0]?.status === 'succeeded';
    });
    expect(succeeded).toBe(true);

    // Accepted 4 s ago at most: the dispatcher's cleanup (every 1 s) removes it, through the pooler too.
    await waitFor('the event to be removed', async () => (await getEvent(ids[0]!)).status === 404, { timeoutMs: 10_000, intervalMs: 250 });
    expect(api!.output.join('') + dispatcher!.output.join('')).not.toMatch(/prepared statement|unsupported startup parameter/);
  }, 30_000);
});
