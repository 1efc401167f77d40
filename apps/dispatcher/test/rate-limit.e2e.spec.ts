import { metricSample, startReceiver, type Receiver, type ReceivedRequest } from '@inbox/testing';
import { DISPATCHER_MAIN, kill, runApps, type RunningProcess } from './support/process.js';
import { waitFor } from './support/wait.js';
import { createTestWorld, type TestWorld } from './support/world.js';

const RATE = 5;
const EVENTS = 40;

/** The most requests that arrived within any 1 s (half-open) window. */
function busiestSecond(arrivals: readonly number[]): number {
  const times = [...arrivals].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[j]! < times[i]! - 999) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

/**
 * A webhook's rate_limit holds for every dispatcher together: two built dispatchers, as processes,
 * share one backlog of a webhook limited to 5 deliveries a second, while a second webhook of the
 * same account has no limit. Waiting for a slot spends no attempt.
 */
describe('a webhook rate_limit across two dispatcher processes', () => {
  let world: TestWorld;
  let receiver: Receiver;
  const dispatchers: RunningProcess[] = [];
  let throttled: string[];
  let free: string[];

  const on = (path: string) => (r: ReceivedRequest) => r.path === path;

  beforeAll(async () => {
    world = await createTestWorld('dispatch_rate_limit');
    receiver = await startReceiver(() => 200);
    const account = await world.fixtures.account();
    await world.fixtures.webhook(account, `${receiver.url}/limited`, { events: ['message.delivered'], rateLimit: RATE });
    await world.fixtures.webhook(account, `${receiver.url}/free`, { events: ['message.read'] });
    dispatchers.push(...(await runApps([DISPATCHER_MAIN, DISPATCHER_MAIN], world.env)));
    const ingest = async (type: 'message.delivered' | 'message.read') => {
      const ids: string[] = [];
      for (let i = 0; i < EVENTS; i++) ids.push(...(await world.fixtures.ingest(account, { type, data: { n: i } })).deliveryIds);
      return ids;
    };
    throttled = await ingest('message.delivered');
    free = await ingest('message.read');
    // Half the unlimited webhook's events first, to warm both processes (code, connection pools) to
    // the receiver: a cold first request can take a few hundred ms, and arriving that late it would
    // crowd the next ones at the receiver however evenly they were let go.
    const warmUp = free.slice(0, EVENTS / 2);
    await world.enqueue(warmUp);
    await receiver.waitFor(warmUp.length, { filter: on('/free') });
    await world.enqueue([...throttled, ...free.slice(EVENTS / 2)]);
    await receiver.waitFor(EVENTS, { filter: on('/limited'), timeoutMs: 25_000 });
    await waitFor('every delivery to be settled', async () => (await world.fixtures.countByStatus()).pending === 0, { timeoutMs: 5_000 }).catch(async (error: Error) => {
      throw new Error(`${error.message}: ${JSON.stringify(await world.fixtures.countByStatus())}`);
    });
  }, 60_000);

  afterAll(async () => {
    await Promise.all(dispatchers.map((d) => kill(d)));
    await receiver?.close();
    await world?.close();
  });

  it(`never sends the limited webhook more than ${RATE} a second (+1 for timing noise), and takes as long as the limit says`, () => {
    const arrivals = receiver.requests.filter(on('/limited')).map((r) => r.receivedAt);
    expect(arrivals).toHaveLength(EVENTS);
    const span = Math.max(...arrivals) - Math.min(...arrivals);
    console.log(`[rate-limit] ${EVENTS} deliveries at rate_limit ${RATE}: ${span} ms first to last, at most ${busiestSecond(arrivals)} in any 1 s`);
    expect(busiestSecond(arrivals)).toBeLessThanOrEqual(RATE + 1);
    // 40 at 5 a second: slots 200 ms apart, 7.8 s from the first to the last.
    expect(span).toBeGreaterThanOrEqual((EVENTS / RATE - 1) * 1000);
  });

  it('delivers every event once, on its first attempt: waiting for a slot spent none', async () => {
    const eventIds = new Set(receiver.requests.filter(on('/limited')).map((r) => r.headers['x-inbox-event-id']));
    expect(eventIds.size).toBe(EVENTS);
    expect(receiver.requests.filter(on('/limited')).every((r) => r.headers['x-inbox-delivery-attempt'] === '1')).toBe(true);
    for (const id of throttled) {
      expect(await world.fixtures.delivery(id)).toMatchObject({ status: 'succeeded', attempts: 1 });
      expect(await world.fixtures.attempts(id)).toHaveLength(1);
    }
    expect((await world.fixtures.countByStatus()).failed).toBe(0);
  });

  it('holds back no other webhook: the unlimited one got its events long before', () => {
    const limited = receiver.requests.filter(on('/limited')).map((r) => r.receivedAt);
    const unlimited = receiver.requests.filter(on('/free')).map((r) => r.receivedAt);
    expect(unlimited).toHaveLength(EVENTS);
    expect(busiestSecond(unlimited)).toBeGreaterThan(RATE + 1);
    expect(Math.max(...unlimited)).toBeLessThan(Math.max(...limited) - 3_000);
  });

  it('was shared by both processes: each held some of the backlog to the limit', async () => {
    for (const dispatcher of dispatchers) {
      const metrics = await (await fetch(dispatcher.metricsUrl!)).text();
      expect(metricSample(metrics, 'inbox_dispatcher_throttled_total', { outcome: 'deferred' })).toBeGreaterThanOrEqual(1);
    }
  });
});
