import { Inject, Injectable, Logger } from '@nestjs/common';
import { DelayedError } from 'bullmq';
import { DeliveriesRepository, isDatabaseUnavailable, type DeliveryId } from '@inbox/db';
import { DISPATCHER_CONFIG, OverloadedError, type DeliverJobData, type DispatcherConfig } from '@inbox/server';
import { DispatcherMetrics } from '../metrics/dispatcher-metrics.js';
import { AttemptRecorder } from './attempt-recorder.js';
import { DeliveryLoader } from './delivery-loader.js';
import { notSentOutcome } from './not-sent.js';
import { RetryLater } from './retry-later.js';

/**
 * What ioredis and BullMQ say when Redis cannot answer, or when the job's lock went to another
 * worker: the queue's trouble, not the delivery's.
 */
const QUEUE_TROUBLE = [
  /^Connection is closed/,
  /^Stream isn't writeable/,
  /^Reached the max retries per request limit/,
  /^Command timed out$/,
  /^Socket timeout/,
  /^Missing lock for job/,
  /^Lock mismatch for job/,
];

/** Shown in the delivery log: nothing about our internals, which the dispatcher's log has. */
const LOG_MESSAGE = 'Not sent: Inbox could not prepare this request (an error on our side), and gave up after retrying';

/**
 * Whether an error thrown while delivering is ours — a bug, a webhook secret no configured key
 * opens — rather than the queue's own control flow (a deferral, a scheduled retry) or an outage of
 * Postgres (down, or its line full) or Redis, which wait without ending a delivery.
 */
export function isInternalError(error: unknown): boolean {
  if (error instanceof DelayedError || error instanceof RetryLater) return false;
  if (error instanceof OverloadedError || isDatabaseUnavailable(error)) return false;
  const message = error instanceof Error ? error.message : '';
  return !QUEUE_TROUBLE.some((pattern) => pattern.test(message));
}

/** How many internal errors the job met so far (job data is untrusted JSON). */
export function internalErrorsOf(data: DeliverJobData): number {
  const count = data.internalErrors;
  return typeof count === 'number' && Number.isInteger(count) && count > 0 ? count : 0;
}

/**
 * Errors of ours before an attempt could be recorded. They are retried on the retry schedule's
 * delays, as many times as it has retries (so a secret sealed under a key this replica does not
 * have yet, mid-rollout, gets as long as an unreachable endpoint would); then the delivery ends
 * `failed` with one `internal_error` attempt, instead of going round the queue and the reconciler
 * for ever.
 */
@Injectable()
export class InternalErrors {
  private readonly log = new Logger('DeliveryProcessor');

  constructor(
    @Inject(DISPATCHER_CONFIG) private readonly config: DispatcherConfig,
    private readonly loader: DeliveryLoader,
    private readonly recorder: AttemptRecorder,
    private readonly deliveries: DeliveriesRepository,
    private readonly metrics: DispatcherMetrics,
  ) {}

  /** After the job's `errors`-th internal error: the wait before it tries again, or undefined to give up. */
  retryDelay(deliveryId: string, errors: number, error: unknown): number | undefined {
    const delayMs = this.config.retrySchedule[errors];
    const next = delayMs === undefined ? 'giving up' : `retrying in ${delayMs} ms`;
    this.log.error(`delivery ${deliveryId}: internal error ${errors} (${next}): ${error instanceof Error ? error.message : String(error)}`);
    return delayMs;
  }

  /**
   * Ends the delivery: an `internal_error` attempt (nothing was sent) and status `failed`. If even
   * that cannot be done because of our own error (the delivery does not load, the attempt does not
   * write), it is failed without an attempt. Outages propagate, to be retried.
   */
  async giveUp(deliveryId: DeliveryId): Promise<string> {
    try {
      const record = await this.loader.load(deliveryId);
      if (!record || record.status !== 'pending') return 'nothing to do';
      const recorded = await this.recorder.record(notSentOutcome(record, 'internal_error', LOG_MESSAGE));
      if (!recorded) return 'internal error: another worker moved the delivery on';
      this.metrics.attempts.inc({ outcome: 'internal_error' });
    } catch (error) {
      if (!isInternalError(error)) throw error;
      if ((await this.deliveries.failWithoutAttempt([deliveryId])).length === 0) return 'nothing to do';
    }
    this.metrics.deliveries.inc({ status: 'failed', reason: 'internal_error' });
    return 'failed: internal error';
  }
}
