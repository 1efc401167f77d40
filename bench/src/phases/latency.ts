import type { Harness } from '../harness.js';
import { actionData, BENCH_EVENT_TYPE } from '../payload.js';
import { sleep } from '../poll.js';
import { distribution, now, round, type Distribution } from '../stats.js';
import { subscribe, waitForDeliveries, type Subscription } from '../workload.js';

export interface LatencyResult {
  rate: number;
  seconds: number;
  sent: number;
  /** Ingest request (its scheduled send time) → first arrival at the receiver, ms. */
  latencyMs: Distribution;
  /** Ingest request → the API's 202, ms. */
  ackMs: Distribution;
  /** Most the harness fell behind its schedule, ms (large values mean the harness itself was starved). */
  maxSendLagMs: number;
}

/** A fresh account with one webhook on `path` of the healthy receiver. */
export function latencySubscription(h: Harness, name: string, path: string): Promise<Subscription> {
  return subscribe(h, name, [{ url: h.receiver.url(path), events: [BENCH_EVENT_TYPE] }]);
}

/**
 * Open-loop pacing: event i is due at t0 + i/rate whether or not earlier requests have answered, so
 * a slow API shows up as latency rather than as a lower send rate. Latency is measured from the
 * scheduled time (so harness hiccups count against us, never hide a stall), to the receiver's
 * recorded arrival of that event id.
 */
export async function runLatency(h: Harness, input: { rate: number; seconds: number; sub: Subscription; path: string }): Promise<LatencyResult> {
  const { rate, seconds, sub, path } = input;
  const total = Math.round(rate * seconds);
  const intervalMs = 1000 / rate;
  const sent: Array<{ id: string; at: number; ack: number }> = [];
  const inFlight: Array<Promise<void>> = [];
  let maxSendLagMs = 0;

  const t0 = now() + 20;
  for (let i = 0; i < total; ) {
    const wait = t0 + i * intervalMs - now();
    if (wait > 1) await sleep(Math.floor(wait));
    for (let t = now(); i < total && t0 + i * intervalMs <= t; i++) {
      const due = t0 + i * intervalMs;
      maxSendLagMs = Math.max(maxSendLagMs, t - due);
      inFlight.push(
        h.api.ingest({ account_id: sub.accountId, type: BENCH_EVENT_TYPE, data: actionData(i) }).then((res) => {
          sent.push({ id: res.id, at: due, ack: now() - due });
        }),
      );
    }
  }
  await Promise.all(inFlight);
  await waitForDeliveries(h, { paths: [path], webhookIds: sub.webhookIds, expected: total, what: `latency at ${rate} ev/s` });

  const arrivals = await h.receiver.arrivals(sent.map((s) => s.id));
  const latencies = sent.map((s) => {
    const arrival = arrivals.get(s.id);
    if (!arrival) throw new Error(`latency at ${rate} ev/s: event ${s.id} (from the 202) never reached the receiver`);
    return arrival.first - s.at;
  });
  return {
    rate,
    seconds,
    sent: total,
    latencyMs: distribution(latencies),
    ackMs: distribution(sent.map((s) => s.ack)),
    maxSendLagMs: round(maxSendLagMs),
  };
}
