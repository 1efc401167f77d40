/** One slot of an endpoint, held from `take` (or a granted `wait`) until `release`. */
export interface Lease {
  readonly endpoint: string;
  readonly startedAt: number;
}

export interface EndpointSlotsOptions {
  /** A waiter that got no slot within this gives up. */
  maxWaitMs: number;
  now: () => number;
  /** The endpoint has nothing in flight and nobody waiting, and is forgotten: so can be what else is kept for it. */
  onIdle?: (endpoint: string) => void;
}

interface Waiter {
  grant: (lease: Lease | null) => void;
  timer: NodeJS.Timeout;
}

interface EndpointState {
  /** Leases in flight, oldest first (a Set keeps insertion order). */
  inFlight: Set<Lease>;
  /** First come, first served. */
  waiters: Waiter[];
}

/**
 * `limit` slots per endpoint (webhook id) in this process, and a FIFO line of jobs waiting for one.
 * Who may join the line is the caller's decision (see EndpointLimiter). An endpoint is tracked only
 * while it has something in flight or waiting.
 */
export class EndpointSlots {
  private readonly endpoints = new Map<string, EndpointState>();

  constructor(
    readonly limit: number,
    private readonly options: EndpointSlotsOptions,
  ) {}

  /** A slot is free and nobody is in line for it. */
  hasFreeSlot(endpoint: string): boolean {
    const state = this.endpoints.get(endpoint);
    return !state || (state.inFlight.size < this.limit && state.waiters.length === 0);
  }

  /** A slot now if `hasFreeSlot`, else null. */
  take(endpoint: string): Lease | null {
    if (!this.hasFreeSlot(endpoint)) return null;
    return this.lease(this.stateOf(endpoint), endpoint);
  }

  /** A place at the end of the line: a slot when the ones ahead got theirs, or null after `maxWaitMs`. */
  wait(endpoint: string): Promise<Lease | null> {
    const line = this.stateOf(endpoint);
    return new Promise<Lease | null>((resolve) => {
      const waiter: Waiter = {
        grant: resolve,
        timer: setTimeout(() => {
          // Gave up: out of the line, so no slot is ever handed to it.
          const i = line.waiters.indexOf(waiter);
          if (i >= 0) line.waiters.splice(i, 1);
          this.forgetIfIdle(endpoint, line);
          resolve(null);
        }, this.options.maxWaitMs),
      };
      line.waiters.push(waiter);
    });
  }

  /** Whether the lease is in flight (not released yet). */
  holds(lease: Lease): boolean {
    return this.endpoints.get(lease.endpoint)?.inFlight.has(lease) ?? false;
  }

  /** Frees the slot; the first waiter in line gets it. A second release of one lease does nothing. */
  release(lease: Lease): void {
    const state = this.endpoints.get(lease.endpoint);
    if (!state || !state.inFlight.delete(lease)) return;
    const next = this.nextWaiter(state);
    if (next) next.grant(this.lease(state, lease.endpoint));
    else this.forgetIfIdle(lease.endpoint, state);
  }

  /** Everyone in line gets null now. */
  dismissWaiters(endpoint: string): void {
    const state = this.endpoints.get(endpoint);
    if (!state) return;
    for (let w = this.nextWaiter(state); w; w = this.nextWaiter(state)) w.grant(null);
    this.forgetIfIdle(endpoint, state);
  }

  /** Age of the endpoint's oldest request in flight; 0 when none is. */
  oldestAgeMs(endpoint: string, now: number): number {
    const oldest = this.endpoints.get(endpoint)?.inFlight.values().next().value;
    return oldest ? now - oldest.startedAt : 0;
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

  private stateOf(endpoint: string): EndpointState {
    let state = this.endpoints.get(endpoint);
    if (!state) {
      state = { inFlight: new Set(), waiters: [] };
      this.endpoints.set(endpoint, state);
    }
    return state;
  }

  private lease(state: EndpointState, endpoint: string): Lease {
    const lease: Lease = { endpoint, startedAt: this.options.now() };
    state.inFlight.add(lease);
    return lease;
  }

  private nextWaiter(state: EndpointState): Waiter | undefined {
    const waiter = state.waiters.shift();
    if (waiter) clearTimeout(waiter.timer);
    return waiter;
  }

  private forgetIfIdle(endpoint: string, state: EndpointState): void {
    if (state.inFlight.size > 0 || state.waiters.length > 0) return;
    this.endpoints.delete(endpoint);
    this.options.onIdle?.(endpoint);
  }
}
