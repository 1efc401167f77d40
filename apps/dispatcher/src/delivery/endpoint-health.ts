import { LRUCache } from 'lru-cache';

/** How a request to an endpoint ended, as far as the endpoint's health is concerned. */
export interface LeaseOutcome {
  durationMs: number;
  /** No complete answer within the delivery timeout: the endpoint is treated as hanging for a while. */
  timedOut: boolean;
}

export interface EndpointHealthOptions {
  /** An endpoint whose oldest request in flight is older than this is slow. */
  slowMs: number;
  /** After a timeout, the endpoint is hanging for this long. */
  timeoutPenaltyMs: number;
  /** The delivery timeout: what a request to an endpoint that timed out lately is expected to take. */
  requestTimeoutMs: number;
}

const DURATION_WEIGHT = 0.2;

/** Whether an endpoint is slow or hanging, and how long its requests take, from how they went. */
export class EndpointHealth {
  /** Endpoints that timed out lately; bounded, entries expire. */
  private readonly timedOut: LRUCache<string, true>;
  /** Moving average of request durations per endpoint, ms; kept until `forget`. */
  private readonly avgMs = new Map<string, number>();

  constructor(private readonly options: EndpointHealthOptions) {
    this.timedOut = new LRUCache({ max: 10_000, ttl: options.timeoutPenaltyMs });
  }

  record(endpoint: string, outcome: LeaseOutcome): void {
    const avg = this.averageMs(endpoint);
    this.avgMs.set(endpoint, avg === 0 ? outcome.durationMs : avg + DURATION_WEIGHT * (outcome.durationMs - avg));
    if (outcome.timedOut) this.timedOut.set(endpoint, true);
  }

  /** Moving average of the endpoint's request durations, ms; 0 until one ended. */
  averageMs(endpoint: string): number {
    return this.avgMs.get(endpoint) ?? 0;
  }

  /**
   * What a request to the endpoint is expected to take when it is slow (`oldestAgeMs`, the age of its
   * oldest request in flight, is over `slowMs`) or hanging (timed out lately); null when it is neither.
   */
  slowRequestMs(endpoint: string, oldestAgeMs: number): number | null {
    const timedOut = this.timedOut.has(endpoint);
    if (!timedOut && oldestAgeMs <= this.options.slowMs) return null;
    return Math.max(this.averageMs(endpoint), oldestAgeMs, timedOut ? this.options.requestTimeoutMs : 0);
  }

  /** Drops the average (the endpoint went idle); a timeout lately is still remembered. */
  forget(endpoint: string): void {
    this.avgMs.delete(endpoint);
  }
}
