import { dispatcherMetric } from '../dispatcher-metrics.js';
import type { Harness } from '../harness.js';
import { BENCH_EVENT_TYPE } from '../payload.js';
import { sleep } from '../poll.js';
import { now, round } from '../stats.js';
import { benchEvents, ingestBatches, subscribe, waitForDeliveries } from '../workload.js';

export interface MemoryResult {
  events: number;
  /** Dispatcher VmRSS, MB: before the backlog, at its peak while draining, and after it drained. */
  rssBeforeMb: number;
  rssPeakMb: number;
  rssAfterMb: number;
  growthMb: number;
  /** V8 heap in use (prom-client's nodejs_heap_size_used_bytes), MB, before and after: growth here is live objects, not allocator slack. */
  heapUsedBeforeMb: number | null;
  heapUsedAfterMb: number | null;
  drainSeconds: number;
  eventsPerSecond: number;
}

const MB = 1024 * 1024;

/**
 * A large backlog (ingested through the batch route for speed) drains through the dispatcher; its
 * RSS before and after (after a short settle, so transient buffers can go) shows whether anything
 * accumulates per delivery.
 */
export async function runMemory(h: Harness, events: number): Promise<MemoryResult> {
  const path = '/memory';
  const sub = await subscribe(h, 'memory', [{ url: h.receiver.url(path), events: [BENCH_EVENT_TYPE] }]);
  const settleMs = h.options.quick ? 1000 : 5000;
  await sleep(settleMs);
  const before = h.dispatcher.rssBytes();
  const heapBefore = await dispatcherMetric(h, 'inbox_dispatcher_nodejs_heap_size_used_bytes');
  let peak = before;
  const sampler = setInterval(() => {
    if (h.dispatcher.running) peak = Math.max(peak, h.dispatcher.rssBytes());
  }, 250);
  try {
    const start = now();
    // Generated in slices so the harness never holds 200k payloads at once.
    const slice = 10_000;
    for (let done = 0; done < events; done += slice) {
      await ingestBatches(h, benchEvents(sub.accountId, Math.min(slice, events - done), done), h.options.batchSize, h.options.batchConcurrency);
    }
    const end = await waitForDeliveries(h, { paths: [path], webhookIds: sub.webhookIds, expected: events, what: 'memory backlog' });
    clearInterval(sampler);
    await sleep(settleMs);
    const after = h.dispatcher.rssBytes();
    const heapAfter = await dispatcherMetric(h, 'inbox_dispatcher_nodejs_heap_size_used_bytes');
    const seconds = (end - start) / 1000;
    return {
      events,
      rssBeforeMb: round(before / MB),
      rssPeakMb: round(peak / MB),
      rssAfterMb: round(after / MB),
      growthMb: round((after - before) / MB),
      heapUsedBeforeMb: heapBefore === null ? null : round(heapBefore / MB),
      heapUsedAfterMb: heapAfter === null ? null : round(heapAfter / MB),
      drainSeconds: round(seconds, 1),
      eventsPerSecond: Math.round(events / seconds),
    };
  } finally {
    clearInterval(sampler);
  }
}

