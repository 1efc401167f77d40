import { LRUCache } from 'lru-cache';

/** One slot of an endpoint, held from `acquire` until `release`. */
export interface Lease {
  readonly endpoint: string;
  readonly startedAt: number;
}

/** How a request that held a slot ended, as far as the endpoint's health is concerned. */
export interface LeaseOutcome {
  durationMs: number;
  /** No complete answer within the delivery timeout: the endpoint is treated as hanging for a while. */
  timedOut: boolean;
}

export interface EndpointLimiterOptions {
  /** At most this many jobs wait in this process for a slot of one endpoint (FIFO). */
  maxWaiters: number;
  /** A waiter that got no slot within this gives up (and the job is deferred to Redis). */
  maxWaitMs?: number;
  /** An endpoint whose oldest request in flight is older than this is slow: nobody waits for it. */
  slowMs?: number;
  /** After a timeout, nobody waits for that endpoint for this long. */
  timeoutPenaltyMs?: number;
  /** The delivery timeout: what a request to an endpoint that timed out lately is expected to take. */
  requestTimeoutMs?: number;
  /** A slow endpoint's job is parked at most this far ahead; one due later comes back then for a new place. */
  maxParkMs?: number;
  now?: () => number;
}

interface Waiter {
  grant: (lease: Lease | null) => void;
  timer: NodeJS.Timeout;
}

interface EndpointState {
  /** Leases in flight, oldest first (a Set keeps insertion order). */
  inFlight: Set<Lease>;
  /** First come, first served; at most `maxWaiters` long. */
  waiters: Waiter[];
  /** Moving average of request durations, ms; 0 until the first one ended. */
  avgMs: number;
}

const DURATION_WEIGHT = 0.2;

/**
 * In-flight requests per endpoint (webhook id) in this process. A slow or dead endpoint fills only
 * its own `limit` slots, never the worker's whole concurrency.
 *
 * When an endpoint is full but healthy (its oldest request in flight is young, no timeout lately,
 * and its expected wait is short) a job waits here for a slot, in a bounded FIFO, instead of being
 * put back in the queue: a deferral costs Postgres and Redis about as much as a delivery. When the
 * FIFO is full, or the endpoint is slow or hanging, `acquire` answers null and the caller defers
 * the job to Redis for as long as `deferralMs` says. A hanging endpoint thus holds at most `limit` +
 * `maxWaiters` worker slots, the waiters for at most `maxWaitMs`, and once it shows as slow, only
 * `limit`.
 */
export class EndpointLimiter {
  private readonly endpoints = new Map<string, EndpointState>();
  /** Endpoints that timed out lately; bounded, entries expire. */
  private readonly timedOut: LRUCache<string, true>;
  /** Per slow endpoint, when its last parked job is due back (see `deferralMs`); bounded, entries expire. */
  private readonly parkedUntil: LRUCache<string, number>;
  private readonly maxWaiters: number;
  private readonly maxWaitMs: number;
  private readonly slowMs: number;
  private readonly requestTimeoutMs: number;
  private readonly maxParkMs: number;
  private readonly now: () => number;

  constructor(
    readonly limit: number,
    options: EndpointLimiterOptions = { maxWaiters: 0 },
  ) {
    this.maxWaiters = options.maxWaiters;
    this.maxWaitMs = options.maxWaitMs ?? 1_000;
    this.slowMs = options.slowMs ?? 1_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.maxParkMs = options.maxParkMs ?? 10 * 60_000;
    this.now = options.now ?? Date.now;
    this.timedOut = new LRUCache({ max: 10_000, ttl: options.timeoutPenaltyMs ?? 30_000 });
    this.parkedUntil = new LRUCache({ max: 10_000, ttl: this.maxParkMs });
  }

  /**
   * A slot, now or after a short wait in line; null when the caller should defer the job instead
   * (the line is full, the endpoint is slow or hanging, or no slot came within `maxWaitMs`).
   */
  acquire(endpoint: string): Lease | null | Promise<Lease | null> {
    let state = this.endpoints.get(endpoint);
    if (!state) {
      state = { inFlight: new Set(), waiters: [], avgMs: 0 };
      this.endpoints.set(endpoint, state);
    }
    if (this.hasFreeSlot(state)) return this.lease(state, endpoint);
    if (!this.mayWait(endpoint, state)) return null;
    const line = state;
    return new Promise<Lease | null>((resolve) => {
      const waiter: Waiter = {
        grant: resolve,
        timer: setTimeout(() => {
          // Gave up: out of the line, so no slot is ever handed to it.
          const i = line.waiters.indexOf(waiter);
          if (i >= 0) line.waiters.splice(i, 1);
          this.forgetIfIdle(endpoint, line);
          resolve(null);
        }, this.maxWaitMs),
      };
      line.waiters.push(waiter);
    });
  }

  /** Whether `acquire` would now give a slot or a place in line (it may change by the time it is called). */
  mayAdmit(endpoint: string): boolean {
    const state = this.endpoints.get(endpoint);
    return !state || this.hasFreeSlot(state) || this.mayWait(endpoint, state);
  }

  /** Frees the slot; the first waiter in line gets it. */
  release(lease: Lease, outcome?: LeaseOutcome): void {
    const state = this.endpoints.get(lease.endpoint);
    if (!state || !state.inFlight.delete(lease)) return;
    if (outcome) {
      state.avgMs = state.avgMs === 0 ? outcome.durationMs : state.avgMs + DURATION_WEIGHT * (outcome.durationMs - state.avgMs);
      if (outcome.timedOut) {
        this.timedOut.set(lease.endpoint, true);
        this.dismissWaiters(state);
      }
    }
    const next = this.nextWaiter(state);
    if (next) next.grant(this.lease(state, lease.endpoint));
    else this.forgetIfIdle(lease.endpoint, state);
  }

  /**
   * How long a job its endpoint could not take should stay in Redis before it is tried again.
   *
   * A busy but healthy endpoint frees a slot soon: `deferralDelayMs` (100 ms … 5 s, growing with the
   * job's deferrals). A slow or hanging one serves only `limit` requests per request duration, so
   * its jobs are parked one service interval (duration ÷ limit) after the last one parked: a backlog
   * comes back at the pace the endpoint can take it, each job about once, instead of cycling through
   * the queue ahead of other endpoints' jobs (head-of-line blocking). Nothing is parked more than
   * `maxParkMs` ahead, so a recovered endpoint's backlog moves again within that.
   */
  deferralMs(endpoint: string, previousDeferrals: number, random: () => number = Math.random): number {
    const now = this.now();
    const interval = this.serviceIntervalMs(endpoint, now);
    if (interval === null) return deferralDelayMs(previousDeferrals, random);
    const due = Math.max(this.parkedUntil.get(endpoint) ?? now, now) + interval;
    // Past the horizon: come back around then (spread out) and take a place in the line of that time.
    if (due - now > this.maxParkMs) return Math.round(this.maxParkMs * (0.5 + random() / 2));
    this.parkedUntil.set(endpoint, due);
    return Math.round(due - now);
  }

  count(endpoint: string): number {
    return this.endpoints.get(endpoint)?.inFlight.size ?? 0;
  }

  waiters(endpoint: string): number {
    return this.endpoints.get(endpoint)?.waiters.length ?? 0;
  }

  /** Endpoints tracked (in flight or waited for): zero when the dispatcher is idle. */
  get size(): number {
    return this.endpoints.size;
  }

  /** ms between two requests the endpoint can start, when it is slow or hanging; null when it is neither. */
  private serviceIntervalMs(endpoint: string, now: number): number | null {
    const timedOut = this.timedOut.has(endpoint);
    const state = this.endpoints.get(endpoint);
    const oldestAge = state ? this.oldestAgeMs(state, now) : 0;
    if (!timedOut && oldestAge <= this.slowMs) return null;
    const durationMs = Math.max(state?.avgMs ?? 0, oldestAge, timedOut ? this.requestTimeoutMs : 0);
    return durationMs / this.limit;
  }

  private oldestAgeMs(state: EndpointState, now: number): number {
    const oldest = state.inFlight.values().next().value;
    return oldest ? now - oldest.startedAt : 0;
  }

  private mayWait(endpoint: string, state: EndpointState): boolean {
    const waiting = state.waiters.length;
    if (waiting >= this.maxWaiters) return false;
    if (this.timedOut.has(endpoint)) return false;
    if (this.oldestAgeMs(state, this.now()) > this.slowMs) return false;
    // The line moves `limit` requests per average duration: don't join it if that is too slow.
    return ((waiting + 1) * state.avgMs) / this.limit <= this.maxWaitMs;
  }

  private lease(state: EndpointState, endpoint: string): Lease {
    const lease: Lease = { endpoint, startedAt: this.now() };
    state.inFlight.add(lease);
    return lease;
  }

  /** A slot is free and nobody is in line for it. */
  private hasFreeSlot(state: EndpointState): boolean {
    return state.inFlight.size < this.limit && state.waiters.length === 0;
  }

  private nextWaiter(state: EndpointState): Waiter | undefined {
    const waiter = state.waiters.shift();
    if (waiter) clearTimeout(waiter.timer);
    return waiter;
  }

  /** The endpoint just timed out: everyone waiting for it defers now rather than hold a worker slot. */
  private dismissWaiters(state: EndpointState): void {
    for (let w = this.nextWaiter(state); w; w = this.nextWaiter(state)) w.grant(null);
  }

  private forgetIfIdle(endpoint: string, state: EndpointState): void {
    if (state.inFlight.size === 0 && state.waiters.length === 0) this.endpoints.delete(endpoint);
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
