import { dispatcherMetric } from '../dispatcher-metrics.js';
import type { Harness } from '../harness.js';
import { BENCH_EVENT_TYPE } from '../payload.js';
import { now, round } from '../stats.js';
import { benchEvents, cpuMeter, ingestBatches, ingestEach, subscribe, waitForDeliveries } from '../workload.js';

const DEFERRED_METRIC = 'inbox_dispatcher_deferred_total';

export interface ThroughputResult {
  route: 'single' | 'batch';
  events: number;
  /** From the first ingest request until the receiver has every event and every attempt is recorded. */
  seconds: number;
  eventsPerSecond: number;
  /** Share of the bare limit (same run); null when the bare phase did not run. */
  ratioToBare: number | null;
  /** Time until the API had answered every ingest request. */
  ingestSeconds: number;
  ingestPerSecond: number;
  /** CPU time per event, µs, of each app over the phase. */
  apiCpuUsPerEvent: number;
  dispatcherCpuUsPerEvent: number;
  /** Jobs the dispatcher put back because the endpoint had its maximum in flight, per event. */
  deferralsPerEvent: number | null;
}

/**
 * End-to-end throughput: `events` events to one subscribed webhook, ingested one per request
 * (`single`, a closed loop with ingestConcurrency in flight) or through the batch route.
 */
export async function runThroughput(h: Harness, route: 'single' | 'batch', events: number, bareRate: number | undefined): Promise<ThroughputResult> {
  const path = `/throughput-${route}`;
  const sub = await subscribe(h, `throughput ${route}`, [{ url: h.receiver.url(path), events: [BENCH_EVENT_TYPE] }]);
  const batch = benchEvents(sub.accountId, events);
  const cpu = cpuMeter(h);
  const deferredBefore = await dispatcherMetric(h, DEFERRED_METRIC);

  const start = now();
  // The dispatcher delivers while ingest is still going; the clock stops when both are done.
  await (route === 'single' ? ingestEach(h, batch, h.options.ingestConcurrency) : ingestBatches(h, batch, h.options.batchSize, h.options.batchConcurrency));
  const ingestEnd = now();
  const end = await waitForDeliveries(h, { paths: [path], webhookIds: sub.webhookIds, expected: events, what: `throughput (${route})` });
  const used = cpu();
  const deferredAfter = await dispatcherMetric(h, DEFERRED_METRIC);

  const seconds = (end - start) / 1000;
  const eventsPerSecond = events / seconds;
  return {
    route,
    events,
    seconds: round(seconds, 2),
    eventsPerSecond: Math.round(eventsPerSecond),
    ratioToBare: bareRate ? round(eventsPerSecond / bareRate, 3) : null,
    ingestSeconds: round((ingestEnd - start) / 1000, 2),
    ingestPerSecond: Math.round(events / ((ingestEnd - start) / 1000)),
    apiCpuUsPerEvent: Math.round((used.apiMs * 1000) / events),
    dispatcherCpuUsPerEvent: Math.round((used.dispatcherMs * 1000) / events),
    deferralsPerEvent: deferredBefore === null || deferredAfter === null ? null : round((deferredAfter - deferredBefore) / events, 2),
  };
}
