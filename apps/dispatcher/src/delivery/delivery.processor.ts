import { Inject, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { DelayedError, type Job } from 'bullmq';
import { LRUCache } from 'lru-cache';
import { DeliveriesRepository, isDatabaseUnavailable, newId, parseId, type DispatchRecord } from '@inbox/db';
import { buildDeliveryHeaders } from '@inbox/signing';
import { DELIVERY_QUEUE, DISPATCHER_CONFIG, FairShare, inSpanFrom, OverloadedError, ThrottledWarning, type DeliverJobData, type DispatcherConfig } from '@inbox/server';
import { WebhookClient, type PostResult } from '../http/webhook-client.js';
import { ListenRelay } from '../listen/listen-relay.js';
import { DispatcherMetrics } from '../metrics/dispatcher-metrics.js';
import { AttemptRecorder } from './attempt-recorder.js';
import { ConcurrencyLeases, destinationHost } from './concurrency-leases.js';
import { DeliveryLoader } from './delivery-loader.js';
import { EndpointLimiter } from './endpoint-limiter.js';
import { internalErrorsOf, InternalErrors, isInternalError } from './internal-errors.js';
import { outageWaitMs, RetryLater, retryScheduleBackoff } from './retry-later.js';
import { notSentOutcome, webhookDisabledMessage } from './not-sent.js';
import { nextStep } from './retry-schedule.js';
import { SecretCache } from './secret-cache.js';
import { WebhookThrottle } from './webhook-throttle.js';

/** A job woken this much before its delivery is due (clock skew between replicas) goes ahead anyway. */
const EARLY_TOLERANCE_MS = 250;

/** Times the job went back to the delayed set since its last BullMQ attempt (deferrals count none). */
function deferralsSinceAttempt(job: Job): number {
  return Math.max(0, job.attemptsStarted - job.attemptsMade - 1);
}

/**
 * One delivery job = one attempt. Loads the delivery with its event body and webhook, POSTs the
 * stored bytes signed, records the attempt and moves the delivery on in Postgres, then lets BullMQ
 * retry the job after the schedule's delay (by throwing `RetryLater`) or complete it.
 *
 * Worker options are static here; the concurrency comes from the config at bootstrap. A lost worker
 * (SIGKILL) gives its jobs back after `lockDuration` (the stalled-job check); anything lost beyond
 * that (Redis flushed) is the reconciler's.
 */
@Processor(DELIVERY_QUEUE, {
  autorun: false,
  lockDuration: 10_000,
  stalledInterval: 5_000,
  maxStalledCount: 1,
  settings: { backoffStrategy: retryScheduleBackoff },
})
export class DeliveryProcessor extends WorkerHost implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('DeliveryProcessor');
  private readonly workerErrors = new ThrottledWarning((m) => this.log.warn(m));
  private readonly postgresOutages = new ThrottledWarning((m) => this.log.warn(m));
  private readonly limiter: EndpointLimiter;
  /**
   * The same, per account at a destination host (`INBOX_ACCOUNT_CONCURRENCY`), without a line to
   * wait in: its jobs are parked at the pace the host frees slots. An account with 100 webhooks on
   * one hanging host then has its backlog come back a few jobs a second, not cycle through the
   * queue (each a Postgres load and two Redis calls) ahead of other accounts' deliveries.
   */
  private readonly hostLimiter: EndpointLimiter;
  /** Each webhook's account-at-host key, learnt from its loads: checked before loading the next job. */
  private readonly hostOfWebhook = new LRUCache<string, string>({ max: 100_000 });

  constructor(
    @Inject(DISPATCHER_CONFIG) private readonly config: DispatcherConfig,
    private readonly loader: DeliveryLoader,
    private readonly recorder: AttemptRecorder,
    private readonly deliveries: DeliveriesRepository,
    private readonly secrets: SecretCache,
    private readonly client: WebhookClient,
    private readonly listen: ListenRelay,
    private readonly metrics: DispatcherMetrics,
    private readonly internalErrors: InternalErrors,
    private readonly throttle: WebhookThrottle,
    private readonly leases: ConcurrencyLeases,
    private readonly fair: FairShare,
  ) {
    super();
    // Enough waiters that one busy, healthy endpoint keeps every worker slot busy without a
    // deferral; a slow or hanging one gets none (see EndpointLimiter).
    this.limiter = new EndpointLimiter(config.endpointConcurrency, {
      maxWaiters: Math.max(config.endpointConcurrency, config.dispatcherConcurrency - config.endpointConcurrency),
      requestTimeoutMs: config.deliveryTimeoutMs,
    });
    this.hostLimiter = new EndpointLimiter(config.accountConcurrency, { maxWaiters: 0, requestTimeoutMs: config.deliveryTimeoutMs });
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.dispatcherConcurrency;
    this.worker.run().catch((error: unknown) => this.log.error(`delivery worker stopped: ${String(error)}`));
  }

  /** Stop taking jobs and wait for the ones in flight (their requests, attempts and writes) to finish. */
  async onModuleDestroy(): Promise<void> {
    await this.worker.close();
  }

  /** Whether the worker's loop runs (health): true through a Redis outage, which it rides out. */
  isRunning(): boolean {
    return this.worker.isRunning();
  }

  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    // Fires on every failed reconnect while Redis is away.
    this.workerErrors.warn(`delivery worker: ${error.message}`);
  }

  /**
   * One attempt; or, when Postgres cannot load the delivery or record the attempt (down, too slow,
   * or the line to it full), no attempt at all: the job goes back to the delayed set for a few
   * seconds and `deliveries.attempts` does not move. A POST already made is sent again then (the
   * same stored bytes and event id: receivers deduplicate), since only a recorded try counts.
   */
  async process(job: Job<DeliverJobData>, token?: string): Promise<string> {
    // Its first run: it leaves its account's line (later runs are deferrals, retries, stalls).
    if (job.data.accountId && job.attemptsStarted <= 1) this.fair.left(job.data.accountId);
    try {
      return await this.attempt(job, token);
    } catch (error) {
      if (isInternalError(error)) return this.afterInternalError(job, token, error);
      if (error instanceof RetryLater) await this.toFrontOfLine(job);
      if (!(error instanceof OverloadedError) && !isDatabaseUnavailable(error)) throw error;
      this.metrics.postgresWaits.inc();
      this.postgresOutages.warn(`Postgres unavailable, deliveries wait without spending attempts: ${(error as Error).message}`);
      return this.deferUntil(job, token, Date.now() + outageWaitMs(deferralsSinceAttempt(job)));
    }
  }

  /**
   * A retry has waited its delay already: when due it goes before every account's backlog, not back
   * to the deep place in its account's line it was first enqueued with (BullMQ keeps a job's
   * priority across retries). Best effort: if Redis does not take it, the retry keeps its place.
   */
  private async toFrontOfLine(job: Job<DeliverJobData>): Promise<void> {
    if ((job.opts.priority ?? 0) <= 1) return;
    await job.changePriority({ priority: 1 }).catch(() => undefined);
  }

  /**
   * An error of ours (a bug, a secret no configured key opens), not an outage: tried again on the
   * retry schedule's delays a bounded number of times, counted in the job; then the delivery ends.
   */
  private async afterInternalError(job: Job<DeliverJobData>, token: string | undefined, error: unknown): Promise<string> {
    const deliveryId = parseId('delivery', job.data.deliveryId);
    if (!deliveryId) throw error;
    const errors = internalErrorsOf(job.data) + 1;
    const delayMs = this.internalErrors.retryDelay(deliveryId, errors, error);
    if (delayMs === undefined) return this.internalErrors.giveUp(deliveryId);
    await job.updateData({ ...job.data, internalErrors: errors });
    return this.deferUntil(job, token, Date.now() + delayMs);
  }

  private async attempt(job: Job<DeliverJobData>, token: string | undefined): Promise<string> {
    // Job data comes back from Redis as plain JSON: ids become typed ids only once they parse.
    const deliveryId = parseId('delivery', job.data.deliveryId);
    if (!deliveryId) return 'not a delivery id: nothing to do';
    const webhookId = parseId('webhook', job.data.webhookId);
    // With the webhook in the job data (optional), a job its endpoint could neither serve nor
    // queue now is deferred before its Postgres load.
    if (webhookId && !this.limiter.mayAdmit(webhookId)) return this.deferBusy(job, token, this.limiter, webhookId);
    const knownHost = webhookId && this.hostOfWebhook.get(webhookId);
    if (knownHost && !this.hostLimiter.mayAdmit(knownHost)) return this.deferBusy(job, token, this.hostLimiter, knownHost);
    const record = await this.loader.load(deliveryId);
    if (!record || record.status !== 'pending') return 'nothing to do';

    const gone = record.webhookDeleted ? 'webhook_deleted' : undefined;
    if (gone || record.attempts >= this.config.retrySchedule.length) {
      const ended = await this.deliveries.failWithoutAttempt([record.deliveryId]);
      if (ended.length > 0) this.metrics.deliveries.inc({ status: 'failed', reason: gone ?? 'exhausted' });
      return `failed without attempt: ${gone ?? 'no attempt left in the schedule'}`;
    }

    // Postgres decides when an attempt is due: a job back early (a stalled job given back, a
    // reconciled duplicate) waits for it.
    const dueIn = (record.nextAttemptAt?.getTime() ?? 0) - Date.now();
    if (dueIn > EARLY_TOLERANCE_MS) return this.deferUntil(job, token, Date.now() + dueIn);
    // Checked when the attempt is due, so a webhook enabled again meanwhile still gets it.
    if (record.webhookStatus !== 'enabled') return this.endForDisabledWebhook(record);

    // The webhook's rate_limit, across every replica: a job whose slot is further off waits in
    // Redis until then, spending no attempt.
    const turn = await this.throttle.turn(record);
    if (!turn.send) return this.deferUntil(job, token, Date.now() + turn.retryInMs);

    // A slot of the endpoint in this process at once, or after a short wait in line; then a lease
    // under the limits of every replica together (endpoint, account at its host). Else back to
    // Redis for a while, spending no attempt.
    const lease = await this.limiter.acquire(record.webhookId);
    if (!lease) return this.deferBusy(job, token, this.limiter, record.webhookId);
    const host = `${record.accountId}@${destinationHost(record.url)}`;
    this.hostOfWebhook.set(record.webhookId, host);
    const hostLease = await this.hostLimiter.acquire(host);
    if (!hostLease) {
      this.limiter.release(lease);
      return this.deferBusy(job, token, this.hostLimiter, host);
    }
    const globalLease = await this.leases.acquire(record);
    if (typeof globalLease === 'string') {
      this.limiter.release(lease);
      this.hostLimiter.release(hostLease);
      return globalLease === 'account_host' ? this.deferBusy(job, token, this.hostLimiter, host) : this.deferBusy(job, token, this.limiter, record.webhookId);
    }
    let result: PostResult;
    try {
      result = await this.sendTraced(record, job.data.traceparent);
    } catch (error) {
      this.limiter.release(lease);
      this.hostLimiter.release(hostLease);
      throw error;
    } finally {
      void this.leases.release(globalLease);
    }
    const outcome = { durationMs: result.durationMs, timedOut: result.error === 'timeout' };
    this.limiter.release(lease, outcome);
    this.hostLimiter.release(hostLease, outcome);
    return this.settle(record, result);
  }

  /**
   * Its webhook is disabled: nothing is sent, and the delivery ends `failed` with a
   * `webhook_disabled` attempt, so its log says why.
   */
  private async endForDisabledWebhook(record: DispatchRecord): Promise<string> {
    const recorded = await this.recorder.record(notSentOutcome(record, 'webhook_disabled', webhookDisabledMessage(record.webhookDisabledReason)));
    if (!recorded) return 'webhook disabled: another worker moved the delivery on';
    this.metrics.attempts.inc({ outcome: 'webhook_disabled' });
    this.metrics.deliveries.inc({ status: 'failed', reason: 'webhook_disabled' });
    return 'failed: webhook disabled';
  }

  /** The endpoint, or the account at its host, is full (and its line too, or it is slow): back to the delayed set for a while. */
  private deferBusy(job: Job, token: string | undefined, limiter: EndpointLimiter, key: string): Promise<never> {
    this.metrics.deferred.inc();
    return this.deferUntil(job, token, Date.now() + limiter.deferralMs(key, deferralsSinceAttempt(job)));
  }

  /**
   * `send` in the attempt's span: the child of the enqueue's (the job's traceparent), so the attempt
   * and its POST (traced by the undici instrumentation) join the event's trace.
   */
  private sendTraced(record: DispatchRecord, traceparent: string | undefined): Promise<PostResult> {
    const attributes = {
      'inbox.account_id': record.accountId,
      'inbox.webhook_id': record.webhookId,
      'inbox.event_id': record.eventId,
      'inbox.event_type': record.eventType,
      'inbox.delivery_attempt': record.attempts + 1,
    };
    return inSpanFrom('inbox.delivery_attempt', traceparent, attributes, async (span) => {
      const result = await this.send(record);
      if (result.statusCode !== null) span.setAttribute('http.response.status_code', result.statusCode);
      return result;
    });
  }

  /**
   * Signs the stored body bytes and POSTs them (or hands them to an `inbox listen` session). The
   * attempt number is Postgres's, not BullMQ's.
   * While a rotated secret still overlaps, it signs beside the new one.
   */
  private send(record: DispatchRecord): Promise<PostResult> {
    const body = Buffer.from(record.body, 'utf8');
    const headers = buildDeliveryHeaders({
      eventId: record.eventId,
      eventType: record.eventType,
      attempt: record.attempts + 1,
      body,
      ...this.secrets.secretsFor(record),
    });
    // An `inbox listen` session: the same request, handed to its CLI's stream instead.
    if (record.webhookKind === 'listen') return this.listen.send(record, record.body, headers, record.attempts + 1);
    return this.client.post(record.url, body, headers);
  }

  /** Records the attempt and moves the delivery on; then completes the job or has BullMQ retry it. */
  private async settle(record: DispatchRecord, result: PostResult): Promise<string> {
    const attemptNumber = record.attempts + 1;
    const step = nextStep(this.config.retrySchedule, attemptNumber, result.succeeded, Date.now(), result.retryAfterMs);
    const recorded = await this.recorder.record({
      accountId: record.accountId,
      attemptId: newId('attempt', result.requestedAt.getTime()),
      deliveryId: record.deliveryId,
      eventType: record.eventType,
      expectedAttempts: record.attempts,
      requestedAt: result.requestedAt,
      durationMs: result.durationMs,
      statusCode: result.statusCode,
      error: result.error,
      errorMessage: result.errorMessage,
      responseBody: result.responseBody,
      succeeded: result.succeeded,
      deliveryStatus: step.status,
      nextAttemptAt: step.nextAttemptAt,
    });
    const outcome = DispatcherMetrics.outcome(result);
    this.metrics.attempts.inc({ outcome });
    this.metrics.attemptDuration.observe({ succeeded: String(result.succeeded) }, result.durationMs / 1000);
    if (!recorded) return `attempt ${attemptNumber} was a duplicate: not counted`;
    this.metrics.observeTimeline(record, attemptNumber, result);

    if (step.status === 'pending' && step.retryDelayMs !== null) {
      throw new RetryLater(step.retryDelayMs, `attempt ${attemptNumber} failed (${outcome})`);
    }
    this.metrics.deliveries.inc({ status: step.status, reason: step.status === 'succeeded' ? 'delivered' : 'exhausted' });
    return `attempt ${attemptNumber}: ${step.status}`;
  }

  /** Puts the job back in the delayed set without counting a BullMQ attempt (the BullMQ way). */
  private async deferUntil(job: Job, token: string | undefined, timestamp: number): Promise<never> {
    await job.moveToDelayed(timestamp, token);
    throw new DelayedError();
  }
}
