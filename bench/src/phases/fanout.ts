import { newId } from '@inbox/db';
import type { Harness } from '../harness.js';
import { actionData, BENCH_EVENT_TYPE } from '../payload.js';
import { median, now, round } from '../stats.js';
import { subscribe, waitForDeliveries } from '../workload.js';

export interface FanoutResult {
  webhooks: number;
  repeats: number;
  /** Ingest request → first / last of the webhooks' arrivals, ms (median over repeats). */
  firstArrivalMs: number;
  allArrivedMs: number;
  /** webhooks / allArrived. */
  deliveriesPerSecond: number;
}

/** One event to `width` webhooks of one account: how long until every endpoint has it. */
export async function runFanout(h: Harness, width: number, repeats: number): Promise<FanoutResult> {
  const paths = Array.from({ length: width }, (_, i) => `/fanout-${width}/${i}`);
  const sub = await subscribe(
    h,
    `fan-out ${width}`,
    paths.map((p) => ({ url: h.receiver.url(p), events: [BENCH_EVENT_TYPE] })),
  );
  const first: number[] = [];
  const all: number[] = [];
  for (let r = 1; r <= repeats; r++) {
    const sentAt = now();
    const { id } = await h.api.ingest({ id: newId('event'), account_id: sub.accountId, type: BENCH_EVENT_TYPE, data: actionData(r) });
    await waitForDeliveries(h, { paths, webhookIds: sub.webhookIds, expected: r, what: `fan-out to ${width}` });
    const arrival = (await h.receiver.arrivals([id])).get(id);
    if (!arrival || arrival.count < width) throw new Error(`fan-out to ${width}: event ${id} arrived ${arrival?.count ?? 0} times`);
    first.push(arrival.first - sentAt);
    all.push(arrival.last - sentAt);
  }
  const allArrivedMs = median(all);
  return {
    webhooks: width,
    repeats,
    firstArrivalMs: round(median(first)),
    allArrivedMs: round(allArrivedMs),
    deliveriesPerSecond: Math.round(width / (allArrivedMs / 1000)),
  };
}
