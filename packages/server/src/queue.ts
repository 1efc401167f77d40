import type { JobsOptions } from 'bullmq';
import type { SharedConfig } from './config.js';

/**
 * The contract between the API (producer) and the dispatcher (consumer).
 * Job data carries ids only: bodies and secrets stay in Postgres.
 */
export const DELIVERY_QUEUE = 'deliveries';
export const DELIVER_JOB = 'deliver';

/**
 * Retries are BullMQ's own: the dispatcher throws an error carrying the delay the retry schedule
 * gives, and its worker's backoff strategy of this name returns it. Postgres counts the attempts
 * and ends the delivery after the last scheduled one; `DELIVERY_JOB_ATTEMPTS` only needs to be
 * larger than any schedule (it also bounds retries after infrastructure errors).
 */
export const DELIVERY_BACKOFF = 'retry-schedule';
export const DELIVERY_JOB_ATTEMPTS = 100;

export interface DeliverJobData {
  deliveryId: string;
  /**
   * The delivery's webhook, when the producer knows it: the dispatcher then applies its
   * per-endpoint limit before loading the delivery. Optional: jobs without it still work.
   */
  webhookId?: string;
  /**
   * The account whose line (`FairShare`) counts this job until its first run starts. Optional: a
   * job without it was given no place and takes none back.
   */
  accountId?: string;
  /**
   * Errors of the dispatcher's own this job met so far (never an outage): the delivery ends with
   * an `internal_error` attempt once they outnumber the retry schedule. A count, never a secret.
   */
  internalErrors?: number;
  /**
   * The W3C trace context of the enqueue (when tracing is on): the dispatcher's attempt span is its
   * child, so one event is one trace from ingest to delivery. Optional: jobs without it still work.
   */
  traceparent?: string;
}

/** What a producer knows of a delivery it enqueues. */
export interface DeliverJobInput {
  deliveryId: string;
  webhookId?: string | undefined;
  traceparent?: string | undefined;
  /** Its account and its place in the account's line (`FairShare.placesFor`), given together. */
  fair?: { accountId: string; priority: number } | undefined;
}

/**
 * Job id = delivery id, so a delivery is never queued twice at once (BullMQ dedupes by id). A job
 * with a place in its account's line is prioritized by it; one without goes before all of those.
 */
export function deliverJob({ deliveryId, webhookId, traceparent, fair }: DeliverJobInput): { name: string; data: DeliverJobData; opts: JobsOptions } {
  return {
    name: DELIVER_JOB,
    data: { deliveryId, ...(webhookId && { webhookId }), ...(fair && { accountId: fair.accountId }), ...(traceparent && { traceparent }) },
    opts: {
      jobId: deliveryId,
      attempts: DELIVERY_JOB_ATTEMPTS,
      backoff: { type: DELIVERY_BACKOFF },
      ...(fair && { priority: fair.priority }),
      // Postgres keeps the history; Redis keeps only live work.
      removeOnComplete: true,
      removeOnFail: true,
    },
  };
}

/**
 * Queue prefix in a {hash tag} so every key of a queue (and every other key of the apps, all under
 * it) lands on one Redis Cluster slot. Redis hashes only what lies between the first `{` and the
 * first `}` after it, when that is not empty: a prefix without such a tag is wrapped in one.
 */
export function queuePrefix(config: Pick<SharedConfig, 'queuePrefix'>): string {
  const p = config.queuePrefix;
  return /^[^{]*\{[^}]+\}/.test(p) ? p : `{${p}}`;
}
