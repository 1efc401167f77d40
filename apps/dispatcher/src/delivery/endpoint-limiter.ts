/**
 * In-flight requests per endpoint (webhook id) in this process. A slow or dead endpoint fills only
 * its own `limit` slots, never the worker's whole concurrency; jobs for a full endpoint are put
 * back in the queue for a while (see `deferralDelayMs`) instead of holding a worker slot.
 */
export class EndpointLimiter {
  private readonly inFlight = new Map<string, number>();

  constructor(readonly limit: number) {}

  tryAcquire(endpoint: string): boolean {
    const current = this.inFlight.get(endpoint) ?? 0;
    if (current >= this.limit) return false;
    this.inFlight.set(endpoint, current + 1);
    return true;
  }

  release(endpoint: string): void {
    const current = this.inFlight.get(endpoint) ?? 0;
    if (current <= 1) this.inFlight.delete(endpoint);
    else this.inFlight.set(endpoint, current - 1);
  }

  count(endpoint: string): number {
    return this.inFlight.get(endpoint) ?? 0;
  }
}

const FIRST_DEFERRAL_MS = 100;
const MAX_DEFERRAL_MS = 5_000;

/**
 * How long a job waits when its endpoint is full, growing with the times it was already deferred
 * (100 ms, 200 ms … 5 s) so a large backlog for a hanging endpoint costs the queue little, with
 * jitter so deferred jobs don't come back in lockstep.
 */
export function deferralDelayMs(previousDeferrals: number, random: () => number = Math.random): number {
  const ceiling = Math.min(FIRST_DEFERRAL_MS * 2 ** Math.max(0, previousDeferrals), MAX_DEFERRAL_MS);
  return Math.round(ceiling * (0.5 + random() / 2));
}
