import { fileURLToPath } from 'node:url';
import { startReceiver, type Receiver, type ReceivedRequest } from '@inbox/testing';
import { ApiClient } from './support/api-client.js';
import { DISPATCHER_MAIN, kill, runApp, type RunningProcess } from './support/process.js';
import { expectAllArrived as expectArrived, ingestWithChaos } from './support/stream.js';
import { sleep, waitFor } from './support/wait.js';
import { createTestWorld, type TestWorld } from './support/world.js';

const API_MAIN = fileURLToPath(new URL('../../api/dist/main.js', import.meta.url));
const EVENTS_PER_RUN = 300;

/**
 * Chaos on the built apps, as processes: events go in through the API's ingest route while the
 * dispatcher is SIGKILLed and restarted, or while every Redis key of the queue is deleted. Each
 * accepted event (202) must still reach the endpoint; duplicates are allowed (at least once), and
 * counted. testEnv: reconcile every 1s, grace 2s.
 */
describe('chaos: every accepted event still arrives', () => {
  let world: TestWorld;
  let receiver: Receiver;
  let api: RunningProcess | undefined;
  let dispatcher: RunningProcess | undefined;
  let client: ApiClient;
  let accountId: string;

  beforeAll(async () => {
    world = await createTestWorld('dispatch_chaos');
    // A little latency so that requests are in flight when the chaos strikes.
    receiver = await startReceiver(() => ({ status: 200, delayMs: Math.floor(Math.random() * 30) }));
    api = await runApp(API_MAIN, world.env);
    client = new ApiClient(api.url, world.env.INBOX_INTERNAL_TOKEN!);
    const account = await client.createAccount('Chaos Inc');
    accountId = account.id;
    await client.createWebhook(account.api_key, `${receiver.url}/chaos`);
    dispatcher = await runApp(DISPATCHER_MAIN, world.env);
  });

  afterAll(async () => {
    await kill(dispatcher);
    await kill(api);
    await receiver?.close();
    await world?.close();
  });

  const ingest = (count: number, chaosAfter: number, chaos: () => Promise<void>) => ingestWithChaos(client, accountId, count, chaosAfter, chaos);

  /** Waits until each accepted event arrived (was answered 2xx) at least once; reports duplicates. */
  const expectAllArrived = (label: string, accepted: string[], answeredOk?: (r: ReceivedRequest) => boolean) =>
    expectArrived(receiver, label, accepted, {
      answeredOk,
      diagnose: async () => {
        const state = { queue: await world.queue.getJobCounts(), deliveries: await world.fixtures.countByStatus() };
        return `${JSON.stringify(state)}\n${dispatcher?.output.join('').split('\n').filter((l) => /Reconcil|error|Error/.test(l)).slice(-15).join('\n')}`;
      },
    });

  it('survives a SIGKILLed dispatcher, restarted mid-stream', async () => {
    const accepted = await ingest(EVENTS_PER_RUN, EVENTS_PER_RUN / 3, async () => {
      await kill(dispatcher);
      await sleep(300);
      dispatcher = await runApp(DISPATCHER_MAIN, world.env);
    });
    expect(accepted).toHaveLength(EVENTS_PER_RUN);
    await expectAllArrived('dispatcher SIGKILL + restart', accepted);
    // A POST the killed process made but never recorded stays pending until its job's lock expires
    // (lockDuration 10 s + stalledInterval 5 s) and the job runs again: up to ~15 s after the kill.
    const started = Date.now();
    await waitFor('every delivery to be succeeded in Postgres', async () => (await world.fixtures.countByStatus()).pending === 0, { timeoutMs: 30_000, intervalMs: 200 });
    console.log(`[chaos] SIGKILL: every delivery succeeded in Postgres ${Date.now() - started} ms after all arrived`);
  }, 120_000);

  it('survives Redis losing every key of the queue mid-stream', async () => {
    receiver.requests.length = 0;
    // Every first attempt fails, so each event ingested before the flush has a delayed retry job
    // in Redis when it is wiped: only the reconciler can bring those back.
    const firstAttempt = (r: ReceivedRequest) => r.headers['x-inbox-delivery-attempt'] === '1';
    receiver.setHandler((r) => (firstAttempt(r) ? 503 : 200));
    let deleted = 0;
    const accepted = await ingest(EVENTS_PER_RUN, EVENTS_PER_RUN / 3, async () => {
      deleted = await world.flushRedis();
    });
    expect(deleted).toBeGreaterThan(0);
    expect(accepted).toHaveLength(EVENTS_PER_RUN);
    await expectAllArrived(`Redis flushed (${deleted} keys deleted)`, accepted, (r) => !firstAttempt(r));
    await waitFor('every delivery to be succeeded in Postgres', async () => (await world.fixtures.countByStatus()).pending === 0);
    expect((await world.fixtures.countByStatus()).failed).toBe(0);
  }, 120_000);
});
