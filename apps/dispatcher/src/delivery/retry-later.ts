import type { BackoffStrategy } from 'bullmq';

/**
 * Thrown by the delivery processor after a failed attempt that has another one scheduled: BullMQ
 * fails the job and retries it after `delayMs` (see `retryScheduleBackoff`). Not a bug: the
 * attempt is already recorded in Postgres.
 */
export class RetryLater extends Error {
  override readonly name = 'RetryLater';

  constructor(
    readonly delayMs: number,
    reason: string,
  ) {
    super(`retry in ${delayMs} ms: ${reason}`);
  }
}

/** Retries after unexpected errors (Redis down, a bug; Postgres outages wait instead: outageWaitMs): 1 s, 2 s, 4 s … at most a minute. */
export function infrastructureRetryDelay(attemptsMade: number): number {
  return Math.min(1000 * 2 ** Math.max(0, attemptsMade - 1), 60_000);
}

/**
 * How long a job waits in the delayed set while Postgres is unavailable: 1 s, 2 s, 4 s, then every
 * 5 s — short, so deliveries resume within seconds of Postgres coming back.
 */
export function outageWaitMs(previousDeferrals: number): number {
  return Math.min(infrastructureRetryDelay(previousDeferrals + 1), 5000);
}

/**
 * The worker's backoff strategy for jobs made by `deliverJob` (backoff type `retry-schedule`):
 * the delay a `RetryLater` carries, else an infrastructure retry.
 */
export const retryScheduleBackoff: BackoffStrategy = (attemptsMade, _type, error) =>
  error instanceof RetryLater || error?.name === 'RetryLater' ? (error as RetryLater).delayMs : infrastructureRetryDelay(attemptsMade);
