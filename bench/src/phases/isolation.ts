import { newId } from '@inbox/db';
import type { Harness } from '../harness.js';
import { BENCH_EVENT_TYPE, failedData, HANGING_EVENT_TYPE } from '../payload.js';
import { pollUntil } from '../poll.js';
import { round } from '../stats.js';
import type { IngestEvent } from '../api-client.js';
import { ingestBatches, subscribe } from '../workload.js';
import { latencySubscription, runLatency, type LatencyResult } from './latency.js';

export interface IsolationResult {
  backlog: number;
  /** Requests the dispatcher held open on the hanging endpoint when measuring ended (its per-endpoint limit). */
  hangingRequestsOpen: number;
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
  // Measure only once the dispatcher is actually stuck on the dead endpoint.
  await pollUntil('requests held by the hanging endpoint', async () => (await h.hangingReceiver.stats()).open > 0, { timeoutMs: 30_000, intervalMs: 50 });

  const withHangingBacklog = await runLatency(h, { rate, seconds, path, sub: healthy });
  return {
    backlog,
    hangingRequestsOpen: (await h.hangingReceiver.stats()).open,
    baseline,
    withHangingBacklog,
    p99Ratio: round(withHangingBacklog.latencyMs.p99 / baseline.latencyMs.p99, 2),
    dispatchP99Ratio: round(withHangingBacklog.dispatchMs.p99 / baseline.dispatchMs.p99, 2),
  };
}
