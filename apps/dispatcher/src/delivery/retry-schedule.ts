import type { DeliveryStatus } from '@inbox/db';

/** What a finished attempt does to its delivery. */
export interface NextStep {
  status: DeliveryStatus;
  /** When the next attempt is due (`pending` only). */
  nextAttemptAt: Date | null;
  /** How long BullMQ waits before that attempt (`pending` only). */
  retryDelayMs: number | null;
}

/**
 * The delay before attempt `attemptNumber + 1`, counted from the failure of attempt `attemptNumber`
 * (1-based), or undefined when the schedule has no such attempt. `schedule[0]` is attempt 1's
 * delay from ingest (0: at once); the docs' table `0,30s,2m,8m,32m,2h` makes six attempts.
 */
export function delayAfterFailure(schedule: readonly number[], attemptNumber: number): number | undefined {
  return attemptNumber >= 1 ? schedule[attemptNumber] : undefined;
}

/**
 * The scheduled delay, stretched to what the endpoint asked for (`Retry-After`, ms) when that is
 * longer, but never past the schedule's longest step: a hostile or mistaken endpoint cannot park a
 * delivery for a day, nor speed it up.
 */
export function honourRetryAfter(schedule: readonly number[], scheduledMs: number, retryAfterMs: number | null): number {
  if (retryAfterMs === null) return scheduledMs;
  return Math.max(scheduledMs, Math.min(retryAfterMs, Math.max(...schedule)));
}

/**
 * Where the delivery goes after attempt `attemptNumber` succeeded or failed at `now`; a failure's
 * `Retry-After` (ms, or null) may push the next attempt later (see `honourRetryAfter`).
 */
export function nextStep(
  schedule: readonly number[],
  attemptNumber: number,
  succeeded: boolean,
  now: number,
  retryAfterMs: number | null = null,
): NextStep {
  if (succeeded) return { status: 'succeeded', nextAttemptAt: null, retryDelayMs: null };
  const scheduled = delayAfterFailure(schedule, attemptNumber);
  if (scheduled === undefined) return { status: 'failed', nextAttemptAt: null, retryDelayMs: null };
  const delay = honourRetryAfter(schedule, scheduled, retryAfterMs);
  return { status: 'pending', nextAttemptAt: new Date(now + delay), retryDelayMs: delay };
}
