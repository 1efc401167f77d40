import { newId } from '@inbox/db';
import type { Harness } from '../harness.js';
import { BENCH_EVENT_TYPE, failedData, HANGING_EVENT_TYPE } from '../payload.js';
import { waitingJobs } from '../dispatcher-metrics.js';
import { pollUntil } from '../poll.js';
import { round } from '../stats.js';
import type { IngestEvent } from '../api-client.js';
import { ingestBatches, subscribe } from '../workload.js';
import { latencySubscription, runLatency, type LatencyResult } from './latency.js';

export interface IsolationResult {
  backlog: number;
  /** Requests the dispatcher held open on the hanging endpoint when measuring ended (its per-endpoint limit). */
  hangingRequestsOpen: number;
  /** How long the dispatcher took to move the backlog's burst out of the waiting jobs, `wait` + `prioritized` (null: no queue metric). */
  parkedAfterMs: number | null;
  baseline: LatencyResult;
  withHangingBacklog: LatencyResult;
  /** p99 with the backlog / p99 without it. */
  p99Ratio: number;
  /** The same for the dispatch side alone (202 → arrival), which the API's queueing does not blur. */
  dispatchP99Ratio: number;
}

/**
 * One account, two webhooks: a healthy one (`message.action` → the fast receiver) and one whose
 * endpoint never answers (`message.failed` → the hanging receiver) with a backlog of its own. The
 * healthy webhook's latency at `rate` must not suffer much from its neighbour.
 */
export async function runIsolation(h: Harness, input: { backlog: number; rate: number; seconds: number; baseline?: LatencyResult }): Promise<IsolationResult> {
  const { backlog, rate, seconds } = input;
  const baseline = input.baseline ?? (await runLatency(h, { rate, seconds, path: '/isolation-baseline', sub: await latencySubscription(h, 'isolation baseline', '/isolation-baseline') }));

  const path = '/isolation';
  const sub = await subscribe(h, 'isolation', [
    { url: h.receiver.url(path), events: [BENCH_EVENT_TYPE] },
    { url: h.hangingReceiver.url('/hang'), events: [HANGING_EVENT_TYPE] },
  ]);
  const healthy = { ...sub, webhookIds: [sub.webhookIds[0]!] };
  const hanging: IngestEvent[] = Array.from({ length: backlog }, (_, i) => ({ id: newId('event'), account_id: sub.accountId, type: HANGING_EVENT_TYPE, data: failedData(i) }));
  await ingestBatches(h, hanging, h.options.batchSize, h.options.batchConcurrency);
  // Measure the steady state the issue describes — an endpoint hanging with a backlog of its own —
  // not the burst that built it: once the dispatcher holds requests on the dead endpoint and has
  // sorted the burst out of the waiting jobs (parked in the delayed set at the endpoint's pace).
  await pollUntil('requests held by the hanging endpoint', async () => (await h.hangingReceiver.stats()).open > 0, { timeoutMs: 30_000, intervalMs: 50 });
  const parkedAfterMs = await timeUntilParked(h);

  const withHangingBacklog = await runLatency(h, { rate, seconds, path, sub: healthy });
  return {
    backlog,
    hangingRequestsOpen: (await h.hangingReceiver.stats()).open,
    parkedAfterMs,
    baseline,
    withHangingBacklog,
    p99Ratio: round(withHangingBacklog.latencyMs.p99 / baseline.latencyMs.p99, 2),
    dispatchP99Ratio: round(withHangingBacklog.dispatchMs.p99 / baseline.dispatchMs.p99, 2),
  };
}

/**
 * Waits until no more than a few delivery jobs wait to be fetched (`wait` + `prioritized`): the
 * backlog's jobs are parked.
 */
async function timeUntilParked(h: Harness): Promise<number | null> {
  const started = performance.now();
  const waiting = () => waitingJobs(h);
  let exported = true;
  await pollUntil(
    'the hanging backlog parked',
    async () => {
      const jobs = await waiting();
      exported = jobs !== null;
      return jobs === null || jobs <= 10;
    },
    { timeoutMs: 120_000, intervalMs: 250 },
  );
  return exported ? Math.round(performance.now() - started) : null;
}
