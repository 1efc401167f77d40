import { newId } from '@inbox/db';
import type { IngestEvent } from '../api-client.js';
import { waitingJobs } from '../dispatcher-metrics.js';
import type { Harness } from '../harness.js';
import { failedData, HANGING_EVENT_TYPE } from '../payload.js';
import { pollUntil } from '../poll.js';
import { round } from '../stats.js';
import { ingestBatches, subscribe } from '../workload.js';
import { latencySubscription, runLatency, type LatencyResult } from './latency.js';

export interface FairnessResult {
  /** Account A: webhooks on the hanging receiver, events in its burst, deliveries queued by it. */
  webhooks: number;
  events: number;
  deliveries: number;
  /** Delivery jobs waiting to be fetched (`wait` + `prioritized`) when B started (null: no queue metric). */
  waitingAtStart: number | null;
  /** A's requests the hanging receiver held when B's run ended: at most INBOX_ACCOUNT_CONCURRENCY. */
  heldForA: number;
  baseline: LatencyResult;
  /** Account B's latency phase while A's burst is queued. */
  withBurst: LatencyResult;
  /** B's p99 with A's burst / B's p99 alone. */
  p99Ratio: number;
  /** The same for the dispatch side alone (202 → arrival). */
  dispatchP99Ratio: number;
}

const PATH_PREFIX = '/fair-';

/**
 * Fair dequeueing between accounts: account A queues `webhooks × events` deliveries at once, all to
 * an endpoint that never answers; account B's open loop at `rate` must not wait behind them.
 */
export async function runFairness(
  h: Harness,
  input: { webhooks: number; events: number; rate: number; seconds: number },
): Promise<FairnessResult> {
  const { webhooks, events, rate, seconds } = input;
  // B alone, measured here, just before A's burst: the same database and machine state (earlier
  // phases grow the tables and leave autovacuum busy; the latency phase's figure is from before them).
  const baseline = (await runLatency(h, { rate, seconds, path: '/fairness-baseline', sub: await latencySubscription(h, 'fairness baseline', '/fairness-baseline') }));

  const a = await subscribe(
    h,
    'fairness A',
    Array.from({ length: webhooks }, (_, i) => ({ url: h.hangingReceiver.url(`${PATH_PREFIX}${i}`), events: [HANGING_EVENT_TYPE] })),
  );
  const path = '/fairness-b';
  const b = await latencySubscription(h, 'fairness B', path);
  const heldForA = async () => {
    const { openByPath } = await h.hangingReceiver.stats();
    return Object.entries(openByPath).reduce((sum, [p, open]) => (p.startsWith(PATH_PREFIX) ? sum + open : sum), 0);
  };

  const burst: IngestEvent[] = Array.from({ length: events }, (_, i) => ({ id: newId('event'), account_id: a.accountId, type: HANGING_EVENT_TYPE, data: failedData(i) }));
  // 20 events (2000 deliveries at 100 webhooks) per request: the burst lands in a few requests.
  await ingestBatches(h, burst, Math.max(1, Math.floor(2000 / webhooks)), h.options.batchConcurrency);
  await pollUntil("A's requests held by the hanging endpoint", async () => (await heldForA()) > 0, { timeoutMs: 30_000, intervalMs: 50 });
  const waitingAtStart = await waitingJobs(h);

  const withBurst = await runLatency(h, { rate, seconds, path, sub: b });
  return {
    webhooks,
    events,
    deliveries: webhooks * events,
    waitingAtStart,
    heldForA: await heldForA(),
    baseline,
    withBurst,
    p99Ratio: round(withBurst.latencyMs.p99 / baseline.latencyMs.p99, 2),
    dispatchP99Ratio: round(withBurst.dispatchMs.p99 / baseline.dispatchMs.p99, 2),
  };
}
