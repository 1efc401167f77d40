import { LRUCache } from 'lru-cache';

/**
 * How far ahead a slow or hanging endpoint's jobs are parked in Redis: one service interval (the
 * time between two requests the endpoint can start) after the last one parked. A backlog thus comes
 * back at the pace the endpoint can take it, each job about once, instead of cycling through the
 * queue ahead of other endpoints' jobs (head-of-line blocking). Nothing is parked more than
 * `maxParkMs` ahead, so a recovered endpoint's backlog moves again within that.
 */
export class Parking {
  /** Per endpoint, when its last parked job is due back; bounded, entries expire. */
  private readonly parkedUntil: LRUCache<string, number>;

  constructor(private readonly maxParkMs: number) {
    this.parkedUntil = new LRUCache({ max: 10_000, ttl: maxParkMs });
  }

  /** ms from `now` until the job is due back, `intervalMs` after the endpoint's last parked one. */
  parkMs(endpoint: string, intervalMs: number, now: number, random: () => number = Math.random): number {
    const due = Math.max(this.parkedUntil.get(endpoint) ?? now, now) + intervalMs;
    // Past the horizon: come back around then (spread out) and take a place in the line of that time.
    if (due - now > this.maxParkMs) return Math.round(this.maxParkMs * (0.5 + random() / 2));
    this.parkedUntil.set(endpoint, due);
    return Math.round(due - now);
  }
}

const FIRST_DEFERRAL_MS = 100;
const MAX_DEFERRAL_MS = 5_000;

/**
 * How long a job waits when its (healthy) endpoint is full, growing with the times it was already
 * deferred (100 ms, 200 ms … 5 s), with jitter so deferred jobs don't come back in lockstep.
 */
export function deferralDelayMs(previousDeferrals: number, random: () => number = Math.random): number {
  const ceiling = Math.min(FIRST_DEFERRAL_MS * 2 ** Math.max(0, previousDeferrals), MAX_DEFERRAL_MS);
  return Math.round(ceiling * (0.5 + random() / 2));
}
