import { exampleEvents } from '@inbox/events';
import { metricSample, startReceiver, type Receiver } from '@inbox/testing';
import { ApiClient } from './support/api-client.js';
import { API_MAIN, DISPATCHER_MAIN, kill, runApps, type RunningProcess } from './support/process.js';
import { waitFor } from './support/wait.js';
import { createTestWorld, type TestWorld } from './support/world.js';

const ENDPOINT_CONCURRENCY = 3;
const ACCOUNT_CONCURRENCY = 4;
/** The busy endpoint holds each request this long; the tarpit host, longer. */
const HOLD_MS = 200;
const TARPIT_MS = 800;
const BUSY_EVENTS = 30;
const TARPIT_WEBHOOKS = 5;
const TARPIT_EVENTS = 4;
const FAST_EVENTS = 20;

/**
 * The concurrency limits hold across replicas: three built dispatchers and two built APIs, as
 * processes, on one database and Redis. The busy endpoint's events are ingested through both APIs
 * (the other accounts' are written as ingest writes them). Each dispatcher alone would allow
 * INBOX_ENDPOINT_CONCURRENCY per endpoint (nine together); the Redis leases hold all three to it,
 * and to INBOX_ACCOUNT_CONCURRENCY for one account at one host, while another account's deliveries flow.
 */
describe('concurrency limits across three dispatcher and two API processes', () => {
  let world: TestWorld;
  let busy: Receiver;
  let tarpit: Receiver;
  let fast: Receiver;
  const dispatchers: RunningProcess[] = [];
  const apis: RunningProcess[] = [];
  let busyEventIds: string[];
  let tarpitIds: string[];
  let fastIds: string[];
  let fastDoneAt: number;

  beforeAll(async () => {
    world = await createTestWorld('dispatch_global_limits', {
      INBOX_ENDPOINT_CONCURRENCY: String(ENDPOINT_CONCURRENCY),
      INBOX_ACCOUNT_CONCURRENCY: String(ACCOUNT_CONCURRENCY),
      INBOX_DELIVERY_TIMEOUT: '4s',
    });
    busy = await startReceiver(() => ({ status: 200, delayMs: HOLD_MS }));
    tarpit = await startReceiver(() => ({ status: 200, delayMs: TARPIT_MS }));
    fast = await startReceiver();
    const ingest = async (account: string, count: number) => {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) ids.push(...(await world.fixtures.ingest(account, { type: 'message.read', data: { i } })).deliveryIds);
      return ids;
    };
    // One account per receiver: all three are on 127.0.0.1, one host.
    apis.push(...(await runApps([API_MAIN, API_MAIN], world.env)));
    const clients = apis.map((api) => new ApiClient(api.url, world.env.INBOX_INTERNAL_TOKEN!));
    const busyAccount = await clients[0]!.createAccount('Busy');
    await clients[1]!.createWebhook(busyAccount.api_key, `${busy.url}/hook`);
    const tarpitAccount = await world.fixtures.account('Tarpit');
    for (let i = 0; i < TARPIT_WEBHOOKS; i++) await world.fixtures.webhook(tarpitAccount, `${tarpit.url}/hook-${i}`);
    tarpitIds = await ingest(tarpitAccount, TARPIT_EVENTS);
    const fastAccount = await world.fixtures.account('Fast');
    await world.fixtures.webhook(fastAccount, `${fast.url}/hook`);
    fastIds = await ingest(fastAccount, FAST_EVENTS);

    dispatchers.push(...(await runApps([DISPATCHER_MAIN, DISPATCHER_MAIN, DISPATCHER_MAIN], world.env)));
    // Each API stores and enqueues half of the busy endpoint's events.
    busyEventIds = await Promise.all(
      Array.from({ length: BUSY_EVENTS }, (_, i) => clients[i % 2]!.ingest({ account_id: busyAccount.id, type: 'message.read', data: exampleEvents['message.read'].data })),
    );
    await world.enqueue(tarpitIds);
    await world.enqueue(fastIds);
    await fast.waitFor(FAST_EVENTS, { timeoutMs: 10_000 });
    fastDoneAt = Date.now();
    await waitFor('every delivery to be settled', async () => (await world.fixtures.countByStatus()).pending === 0, { timeoutMs: 20_000 });
  }, 90_000);

  afterAll(async () => {
    await Promise.all([...dispatchers, ...apis].map((p) => kill(p)));
    await Promise.all([busy, tarpit, fast].map((r) => r?.close()));
    await world?.close();
  });

  it(`never has more than INBOX_ENDPOINT_CONCURRENCY (${ENDPOINT_CONCURRENCY}) requests in flight to one endpoint from all three`, () => {
    console.log(`[global-limits] busy endpoint: at most ${busy.maxInFlight} in flight; tarpit host: at most ${tarpit.maxInFlight}`);
    expect(busy.maxInFlight).toBe(ENDPOINT_CONCURRENCY);
  });

  it('delivers every event, and no delivery was attempted by two dispatchers at once', async () => {
    const arrivals = new Map<string, number[]>();
    for (const r of busy.requests) arrivals.set(String(r.headers['x-inbox-event-id']), [...(arrivals.get(String(r.headers['x-inbox-event-id'])) ?? []), r.receivedAt]);
    expect([...arrivals.keys()].sort()).toEqual([...busyEventIds].sort());
    // A second request for an event only after the first was answered (each is held HOLD_MS).
    for (const times of arrivals.values()) times.slice(1).forEach((t, i) => expect(t - times[i]!).toBeGreaterThanOrEqual(HOLD_MS));
    const busyIds = await world.fixtures.deliveriesOfEvents(busyEventIds);
    expect(busyIds).toHaveLength(BUSY_EVENTS);
    for (const id of [...busyIds, ...tarpitIds]) {
      expect(await world.fixtures.delivery(id)).toMatchObject({ status: 'succeeded' });
      const numbers = (await world.fixtures.attempts(id)).map((a) => a.attempt_number);
      expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    }
  });

  it(`holds one account to INBOX_ACCOUNT_CONCURRENCY (${ACCOUNT_CONCURRENCY}) at one host, its webhooks counted together, while another account flows`, () => {
    expect(tarpit.requests).toHaveLength(TARPIT_WEBHOOKS * TARPIT_EVENTS);
    expect(tarpit.maxInFlight).toBe(ACCOUNT_CONCURRENCY);
    // 20 requests of 0.8 s, 4 at a time, take 4 s; the other account's were all in while the tarpit was full.
    expect(fastDoneAt).toBeLessThan(Math.max(...tarpit.requests.map((r) => r.receivedAt)));
  });

  it('was shared by the three: each made attempts, and the Redis leases turned requests away', async () => {
    const metrics = await Promise.all(dispatchers.map(async (d) => (await fetch(d.metricsUrl!)).text()));
    for (const text of metrics) expect(metricSample(text, 'inbox_dispatcher_attempts_total', { outcome: 'success' })).toBeGreaterThanOrEqual(1);
    const refused = (outcome: string) => metrics.some((text) => (metricSample(text, 'inbox_dispatcher_leases_total', { outcome }) ?? 0) >= 1);
    expect(refused('endpoint')).toBe(true);
    expect(refused('account_host')).toBe(true);
  });
});
