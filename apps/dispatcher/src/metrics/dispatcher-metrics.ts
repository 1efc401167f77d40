import { Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { Counter, Gauge, Histogram, type Metric } from 'prom-client';
import { DeliveriesRepository, type DispatchRecord } from '@inbox/db';
import { DELIVERY_QUEUE, metricsRegistry, REDIS_WAIT_MS, withTimeout } from '@inbox/server';

/** One metric per name per process, even when tests boot several dispatchers in one process. */
function once<T extends Metric>(name: string, make: () => T): T {
  return (metricsRegistry.getSingleMetric(name) as T | undefined) ?? make();
}

/** The queue whose depth the gauge reports: the latest dispatcher booted in this process. */
let depthSource: Queue | undefined;

const QUEUE_STATES = ['wait', 'active', 'delayed', 'prioritized'] as const;

/** Seconds from acceptance: sub-second when all is well, up to the retry schedule's hours. */
const TIMELINE_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 4 * 3600, 12 * 3600];
/** A scrape while Postgres is slow keeps the last oldest-pending figure rather than waiting for a new one. */
const SCRAPE_QUERY_WAIT_MS = 1_000;

/** The repository the oldest-pending gauge asks: the latest dispatcher booted in this process. */
let pendingSource: DeliveriesRepository | undefined;

/**
 * Prometheus metrics of delivery: attempts by outcome (`success`, `http_4xx`, `timeout`, …),
 * deliveries finished (`succeeded`, `failed`), attempt duration, delivery lag (accepted → attempt 1)
 * and duration (accepted → delivered), the oldest overdue pending delivery, jobs deferred because their
 * endpoint was full, deliveries held to their webhook's `rate_limit`, jobs re-enqueued by the reconciler, and the queue's depth by state.
 */
@Injectable()
export class DispatcherMetrics {
  readonly attempts = once(
    'inbox_dispatcher_attempts_total',
    () => new Counter({ name: 'inbox_dispatcher_attempts_total', help: 'Delivery attempts made, by outcome', labelNames: ['outcome'], registers: [metricsRegistry] }),
  );
  readonly deliveries = once(
    'inbox_dispatcher_deliveries_total',
    () =>
      new Counter({
        name: 'inbox_dispatcher_deliveries_total',
        help: 'Deliveries finished, by status (succeeded, failed) and reason',
        labelNames: ['status', 'reason'],
        registers: [metricsRegistry],
      }),
  );
  readonly attemptDuration = once(
    'inbox_dispatcher_attempt_duration_seconds',
    () =>
      new Histogram({
        name: 'inbox_dispatcher_attempt_duration_seconds',
        help: 'Duration of one delivery attempt (connect to last byte read)',
        labelNames: ['succeeded'],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
        registers: [metricsRegistry],
      }),
  );
  readonly deferred = once(
    'inbox_dispatcher_deferred_total',
    () => new Counter({ name: 'inbox_dispatcher_deferred_total', help: 'Jobs put back because their endpoint had its maximum in flight', registers: [metricsRegistry] }),
  );
  readonly leases = once(
    'inbox_dispatcher_leases_total',
    () =>
      new Counter({
        name: 'inbox_dispatcher_leases_total',
        help: 'Requests refused a cross-replica lease (endpoint, account_host: their maximum in flight) or sent unchecked (Redis unavailable)',
        labelNames: ['outcome'],
        registers: [metricsRegistry],
      }),
  );
  readonly throttled = once(
    'inbox_dispatcher_throttled_total',
    () =>
      new Counter({
        name: 'inbox_dispatcher_throttled_total',
        help: "Deliveries held to their webhook's rate_limit: waited here, deferred to Redis, or unchecked (Redis unavailable)",
        labelNames: ['outcome'],
        registers: [metricsRegistry],
      }),
  );
  readonly postgresWaits = once(
    'inbox_dispatcher_postgres_waits_total',
    () =>
      new Counter({
        name: 'inbox_dispatcher_postgres_waits_total',
        help: 'Jobs put back without an attempt because Postgres was unavailable (or the line to it full)',
        registers: [metricsRegistry],
      }),
  );
  readonly webhooksDisabled = once(
    'inbox_dispatcher_webhooks_disabled_total',
    () =>
      new Counter({
        name: 'inbox_dispatcher_webhooks_disabled_total',
        help: 'Webhooks the platform disabled, by reason (failing: every attempt failed for INBOX_AUTO_DISABLE_AFTER; gone: a 410 Gone)',
        labelNames: ['reason'],
        registers: [metricsRegistry],
      }),
  );
  readonly deliveryLag = once(
    'inbox_delivery_lag_seconds',
    () =>
      new Histogram({
        name: 'inbox_delivery_lag_seconds',
        help: 'From the event accepted (events.received_at) to the first attempt started',
        buckets: TIMELINE_BUCKETS,
        registers: [metricsRegistry],
      }),
  );
  readonly deliveryDuration = once(
    'inbox_delivery_duration_seconds',
    () =>
      new Histogram({
        name: 'inbox_delivery_duration_seconds',
        help: 'From the event accepted (events.received_at) to its delivery succeeded, retries included',
        buckets: TIMELINE_BUCKETS,
        registers: [metricsRegistry],
      }),
  );
  readonly reconciled = once(
    'inbox_dispatcher_reconciled_total',
    () => new Counter({ name: 'inbox_dispatcher_reconciled_total', help: 'Pending deliveries with no live job, enqueued again by the reconciler', registers: [metricsRegistry] }),
  );

  constructor(@InjectQueue(DELIVERY_QUEUE) queue: Queue, deliveries: DeliveriesRepository) {
    depthSource = queue;
    pendingSource = deliveries;
    once(
      'inbox_oldest_pending_delivery_seconds',
      () =>
        new Gauge({
          name: 'inbox_oldest_pending_delivery_seconds',
          help: 'How long the most overdue pending delivery has waited past its due time (0: none waiting)',
          registers: [metricsRegistry],
          async collect() {
            if (!pendingSource) return;
            const seconds = await withTimeout(pendingSource.oldestPendingSeconds(), SCRAPE_QUERY_WAIT_MS).catch(() => undefined);
            if (seconds !== undefined) this.set(seconds);
          },
        }),
    );
    once(
      'inbox_dispatcher_queue_jobs',
      () =>
        new Gauge({
          name: 'inbox_dispatcher_queue_jobs',
          help: 'Delivery jobs in the queue, by state',
          labelNames: ['state'],
          registers: [metricsRegistry],
          async collect() {
            if (!depthSource) return;
            // A scrape while Redis is away answers without the depth rather than waiting for it.
            const counts = await withTimeout(depthSource.getJobCounts(...QUEUE_STATES), REDIS_WAIT_MS).catch(() => undefined);
            if (!counts) return;
            for (const state of QUEUE_STATES) this.set({ state }, counts[state] ?? 0);
          },
        }),
    );
  }

  /** Lag (attempt 1 only) and, on success, the whole time from acceptance to delivered. */
  observeTimeline(record: Pick<DispatchRecord, 'receivedAt'>, attemptNumber: number, result: { requestedAt: Date; durationMs: number; succeeded: boolean }): void {
    const started = (result.requestedAt.getTime() - record.receivedAt.getTime()) / 1000;
    if (attemptNumber === 1) this.deliveryLag.observe(Math.max(0, started));
    if (result.succeeded) this.deliveryDuration.observe(Math.max(0, started + result.durationMs / 1000));
  }

  /** `success`, `http_3xx`/`http_4xx`/`http_5xx`/`http_1xx`, or the attempt's error. */
  static outcome(result: { succeeded: boolean; statusCode: number | null; error: string | null }): string {
    if (result.succeeded) return 'success';
    if (result.error && result.error !== 'redirect') return result.error;
    return result.statusCode === null ? 'network' : `http_${Math.floor(result.statusCode / 100)}xx`;
  }
}
