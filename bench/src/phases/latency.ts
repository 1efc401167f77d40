import { newId } from '@inbox/db';
import type { Harness } from '../harness.js';
import { actionData, BENCH_EVENT_TYPE } from '../payload.js';
import { setImmediate } from 'node:timers/promises';
import { sleep } from '../poll.js';
import { distribution, now, round, type Distribution } from '../stats.js';
import { subscribe, waitForDeliveries, type Subscription } from '../workload.js';

export interface LatencyResult {
  rate: number;
  seconds: number;
  /** Events sent; fewer than rate × seconds when the platform saturated. */
  sent: number;
  /**
   * True when the API fell more than SATURATION_SECONDS of events behind: sending stopped there,
   * since past that point the figures only measure how long the harness's own queue has grown.
   */
  saturated: boolean;
  /** 202s per second over the sending window: what the API sustained. */
  acceptedPerSecond: number;
  /** Ingest request (its scheduled send time) → first arrival at the receiver, ms. */
  latencyMs: Distribution;
  /** Ingest request → the API's 202, ms. */
  ackMs: Distribution;
  /**
   * The API's 202 → first arrival, ms: the dispatch side alone (negative when the delivery beat the
   * 202 back to the harness). Tells queueing in the API apart from queueing behind the dispatcher.
   */
  dispatchMs: Distribution;
  /** Most the harness fell behind its schedule, ms (large values mean the harness itself was starved). */
  maxSendLagMs: number;
}

/** How far (in seconds of events) the API may fall behind the schedule before the phase stops sending. */
export const SATURATION_SECONDS = 5;

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

  let firstError: unknown;
  let saturated = false;
  const t0 = now() + 20;
  let i = 0;
  while (i < total && firstError === undefined) {
    // Always yield between rounds: at 1 ms intervals a loop that only slept when more than 1 ms
    // early never let the event loop write a request or read a 202 (every run "saturated").
    const wait = t0 + i * intervalMs - now();
    await (wait >= 1 ? sleep(Math.floor(wait)) : setImmediate());
    if (i - sent.length > rate * SATURATION_SECONDS) {
      saturated = true;
      break;
    }
    for (let t = now(); i < total && t0 + i * intervalMs <= t; i++) {
      const due = t0 + i * intervalMs;
      maxSendLagMs = Math.max(maxSendLagMs, t - due);
      inFlight.push(
        h.api.ingest({ id: newId('event'), account_id: sub.accountId, type: BENCH_EVENT_TYPE, data: actionData(i) }).then(
          (res) => void sent.push({ id: res.id, at: due, ack: now() - due }),
          (error: unknown) => void (firstError ??= error),
        ),
      );
    }
  }
  const sendingSeconds = (now() - t0) / 1000;
  await Promise.all(inFlight);
  if (firstError !== undefined) throw firstError;
  const acceptedPerSecond = Math.round(sent.filter((s) => s.at + s.ack <= t0 + sendingSeconds * 1000).length / sendingSeconds);
  await waitForDeliveries(h, { paths: [path], webhookIds: sub.webhookIds, expected: sent.length, what: `latency at ${rate} ev/s` });

  const arrivals = await h.receiver.arrivals(sent.map((s) => s.id));
  const firstArrival = (id: string) => {
    const arrival = arrivals.get(id);
    if (!arrival) throw new Error(`latency at ${rate} ev/s: event ${id} (from the 202) never reached the receiver`);
    return arrival.first;
  };
  const latencies = sent.map((s) => firstArrival(s.id) - s.at);
  return {
    rate,
    seconds,
    sent: sent.length,
    saturated,
    acceptedPerSecond,
    latencyMs: distribution(latencies),
    ackMs: distribution(sent.map((s) => s.ack)),
    dispatchMs: distribution(sent.map((s) => firstArrival(s.id) - (s.at + s.ack))),
    maxSendLagMs: round(maxSendLagMs),
  };
}
