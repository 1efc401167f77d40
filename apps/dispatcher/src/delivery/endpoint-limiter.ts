import { EndpointHealth, type LeaseOutcome } from './endpoint-health.js';
import { EndpointSlots, type Lease } from './endpoint-slots.js';
import { deferralDelayMs, Parking } from './parking.js';

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

/**
 * Who gets a slot of an endpoint (webhook id) in this process, who waits for one, and how long the
 * others stay in Redis. A slow or dead endpoint fills only its own `limit` slots, never the worker's
 * whole concurrency.
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
  /** For its counts; slots are taken through `acquire`, which decides who may wait. */
  readonly slots: EndpointSlots;
  private readonly health: EndpointHealth;
  private readonly parking: Parking;
  private readonly maxWaiters: number;
  private readonly maxWaitMs: number;
  private readonly now: () => number;

  constructor(limit: number, options: EndpointLimiterOptions = { maxWaiters: 0 }) {
    this.maxWaiters = options.maxWaiters;
    this.maxWaitMs = options.maxWaitMs ?? 1_000;
    this.now = options.now ?? Date.now;
    this.health = new EndpointHealth({
      slowMs: options.slowMs ?? 1_000,
      timeoutPenaltyMs: options.timeoutPenaltyMs ?? 30_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    });
    // An idle endpoint's average goes with its slots, as it always has: memory stays bounded by
    // the endpoints in use.
    this.slots = new EndpointSlots(limit, {
      maxWaitMs: this.maxWaitMs,
      now: this.now,
      onIdle: (endpoint) => this.health.forget(endpoint),
    });
    this.parking = new Parking(options.maxParkMs ?? 10 * 60_000);
  }

  /**
   * A slot, now or after a short wait in line; null when the caller should defer the job instead
   * (the line is full, the endpoint is slow or hanging, or no slot came within `maxWaitMs`). An
   * answer known now comes as an already-resolved promise.
   */
  acquire(endpoint: string): Promise<Lease | null> {
    const lease = this.slots.take(endpoint);
    if (lease) return Promise.resolve(lease);
    return this.mayWait(endpoint) ? this.slots.wait(endpoint) : Promise.resolve(null);
  }

  /** Whether `acquire` would now give a slot or a place in line (it may change by the time it is called). */
  mayAdmit(endpoint: string): boolean {
    return this.slots.hasFreeSlot(endpoint) || this.mayWait(endpoint);
  }

  /** Frees the slot; the first waiter in line gets it, unless the request timed out. */
  release(lease: Lease, outcome?: LeaseOutcome): void {
    if (outcome && this.slots.holds(lease)) {
      this.health.record(lease.endpoint, outcome);
      // Hanging now: everyone waiting for it defers rather than hold a worker slot.
      if (outcome.timedOut) this.slots.dismissWaiters(lease.endpoint);
    }
    this.slots.release(lease);
  }

  /**
   * How long a job its endpoint could not take should stay in Redis before it is tried again: a
   * busy but healthy endpoint frees a slot soon (`deferralDelayMs`); a slow or hanging one serves
   * only `limit` requests per request duration, so its jobs are parked (see `Parking`).
   */
  deferralMs(endpoint: string, previousDeferrals: number, random: () => number = Math.random): number {
    const now = this.now();
    const requestMs = this.slowRequestMs(endpoint, now);
    if (requestMs === null) return deferralDelayMs(previousDeferrals, random);
    return this.parking.parkMs(endpoint, requestMs / this.slots.limit, now, random);
  }

  private mayWait(endpoint: string): boolean {
    const waiting = this.slots.waiters(endpoint);
    if (waiting >= this.maxWaiters) return false;
    if (this.slowRequestMs(endpoint, this.now()) !== null) return false;
    // The line moves `limit` requests per average duration: don't join it if that is too slow.
    return ((waiting + 1) * this.health.averageMs(endpoint)) / this.slots.limit <= this.maxWaitMs;
  }

  private slowRequestMs(endpoint: string, now: number): number | null {
    return this.health.slowRequestMs(endpoint, this.slots.oldestAgeMs(endpoint, now));
  }
}
