import { migrate } from '@inbox/db';
import { exampleEvents } from '@inbox/events';
import { startPrivatePostgres, startPrivateRedis, startReceiver, testEnv, type PrivatePostgres, type PrivateRedis, type Receiver } from '@inbox/testing';
import { ApiClient } from './support/api-client.js';
import { API_MAIN, DISPATCHER_MAIN, kill, runApps, type RunningProcess } from './support/process.js';
import { sleep, waitFor } from './support/wait.js';

const OUTAGE_MS = 5_000;
const INGEST_CONCURRENCY = 4;

/** One ingest request as a caller saw it. */
interface Answer {
  status: number;
  ms: number;
  code?: string;
  retryAfter: string | null;
  eventId?: string;
  /** Sent while the server was stopped. */
  duringOutage: boolean;
}

/**
 * Outages on the built apps, as processes, against a Postgres and a Redis of this file's own
 * (stopping them disturbs no other test file): each is stopped for 5 s while events stream in.
 * Every event answered 202 must arrive; the answers during the outage must be quick and honest
 * (202 while Redis is away, 503 `unavailable` with Retry-After while Postgres is); both apps must
 * serve again afterwards without a restart.
 */
describe('outages: Redis or Postgres stopped for 5 s mid-stream', () => {
  let postgres: PrivatePostgres;
  let redis: PrivateRedis;
  let receiver: Receiver;
  let api: RunningProcess | undefined;
  let dispatcher: RunningProcess | undefined;
  let client: ApiClient;
  let env: Record<string, string>;
  let accountId: string;
  let apiKey: string;

  beforeAll(async () => {
    [postgres, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis()]);
    const databaseUrl = postgres.url.replace(/\/postgres$/, '/inbox');
    await migrate(databaseUrl, () => {});
    env = testEnv({ DATABASE_URL: databaseUrl, REDIS_URL: redis.url });
    receiver = await startReceiver(() => 200);
    [api, dispatcher] = (await runApps([API_MAIN, DISPATCHER_MAIN], env)) as [RunningProcess, RunningProcess];
    client = new ApiClient(api.url, env.INBOX_INTERNAL_TOKEN!);
    const account = await client.createAccount('Outage Inc');
    accountId = account.id;
    apiKey = account.api_key;
    await client.createWebhook(apiKey, `${receiver.url}/outage`);
  }, 60_000);

  afterAll(async () => {
    await kill(dispatcher);
    await kill(api);
    await receiver?.close();
    await Promise.all([postgres?.destroy(), redis?.destroy()]);
  });

  async function ingest(duringOutage: boolean, i: number): Promise<Answer> {
    const started = Date.now();
    try {
      const res = await fetch(`${api!.url}/internal/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${env.INBOX_INTERNAL_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ account_id: accountId, type: 'message.read', data: { ...exampleEvents['message.read'].data, message_id: `msg_${i}` } }),
        signal: AbortSignal.timeout(15_000),
      });
      const body = (await res.json()) as { id?: string; error?: { code: string } };
      return { status: res.status, ms: Date.now() - started, code: body.error?.code, retryAfter: res.headers.get('retry-after'), eventId: body.id, duringOutage };
    } catch (error) {
      return { status: 0, ms: Date.now() - started, code: String(error), retryAfter: null, duringOutage };
    }
  }

  /** Streams events for 1 s, stops the server for OUTAGE_MS (streaming on), starts it, streams 1 s more. */
  async function streamThrough(server: { stop(): Promise<void>; start(): Promise<void> }, during?: () => Promise<void>): Promise<Answer[]> {
    const answers: Answer[] = [];
    let outage = false;
    let done = false;
    let n = 0;
    const worker = async () => {
      while (!done) answers.push(await ingest(outage, n++));
    };
    const workers = Array.from({ length: INGEST_CONCURRENCY }, worker);
    await sleep(1_000);
    await server.stop();
    outage = true;
    const probe = during?.();
    await sleep(OUTAGE_MS);
    await probe;
    outage = false;
    await server.start();
    await sleep(1_000);
    done = true;
    await Promise.all(workers);
    return answers;
  }

  async function expectAllArrived(eventIds: string[]): Promise<void> {
    const arrived = () => new Set(receiver.requests.map((r) => r.headers['x-inbox-event-id'] as string));
    const missing = () => eventIds.filter((id) => !arrived().has(id));
    await waitFor('every accepted event to arrive', () => missing().length === 0, { timeoutMs: 60_000, intervalMs: 250 }).catch((error: Error) => {
      throw new Error(`${error.message}: ${missing().length} of ${eventIds.length} missing\n${dispatcher!.output.join('').split('\n').slice(-20).join('\n')}`);
    });
  }

  const summary = (answers: Answer[]) =>
    JSON.stringify(
      answers.filter((a) => a.duringOutage).reduce<Record<string, number>>((acc, a) => ({ ...acc, [`${a.status}${a.code ? ` ${a.code}` : ''}`]: (acc[`${a.status}${a.code ? ` ${a.code}` : ''}`] ?? 0) + 1 }), {}),
    );

  it('Redis stopped: ingest still answers 202 quickly, the customer API answers, every accepted event arrives', async () => {
    const listDuringOutage: Array<{ status: number; ms: number }> = [];
    const answers = await streamThrough(redis, async () => {
      await sleep(1_000);
      for (let i = 0; i < 3; i++) {
        const started = Date.now();
        const res = await fetch(`${api!.url}/v1/webhooks`, { headers: { authorization: `Bearer ${apiKey}` }, signal: AbortSignal.timeout(10_000) });
        listDuringOutage.push({ status: res.status, ms: Date.now() - started });
      }
    });
    const during = answers.filter((a) => a.duringOutage);
    console.log(`[outages] Redis: ${answers.length} ingests, during the outage ${summary(answers)}, slowest ${Math.max(...during.map((a) => a.ms))} ms`);
    expect(during.length).toBeGreaterThan(10);
    // Postgres is the truth: with Redis away, ingest commits and answers (the reconciler enqueues later).
    expect(answers.every((a) => a.status === 202)).toBe(true);
    expect(Math.max(...during.map((a) => a.ms))).toBeLessThan(1_500); // bound ~250 ms; loose for a noisy machine
    expect(listDuringOutage.every((r) => r.status === 200 && r.ms < 2_000)).toBe(true);
    await expectAllArrived(answers.map((a) => a.eventId!));
  }, 120_000);

  it('Postgres stopped: a quick 503 unavailable with Retry-After (never a 500 or a hang), then both apps serve again by themselves', async () => {
    receiver.requests.length = 0;
    const answers = await streamThrough(postgres);
    const during = answers.filter((a) => a.duringOutage);
    console.log(`[outages] Postgres: ${answers.length} ingests, during the outage ${summary(answers)}, slowest ${Math.max(...during.map((a) => a.ms))} ms`);
    expect(answers.every((a) => a.status === 202 || a.status === 503)).toBe(true);
    const refused = answers.filter((a) => a.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((a) => a.code === 'unavailable' && a.retryAfter !== null && Number(a.retryAfter) > 0)).toBe(true);
    expect(Math.max(...during.map((a) => a.ms))).toBeLessThan(5_000); // ~2 s by design; loose for a noisy machine
    // Without a restart, the API accepts again and the dispatcher delivers again.
    await waitFor('the API to accept events again', async () => (await ingest(false, -1)).status === 202, { timeoutMs: 20_000, intervalMs: 250 });
    const after = await ingest(false, -2);
    expect(after.status).toBe(202);
    await expectAllArrived([...answers.filter((a) => a.status === 202).map((a) => a.eventId!), after.eventId!]);
  }, 120_000);
});
