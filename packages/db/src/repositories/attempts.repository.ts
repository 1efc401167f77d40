import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { idFloor, type AccountId, type AttemptId, type DeliveryId, type EventId, type WebhookId } from '../ids.js';
import type { DeliveryStatus } from './deliveries.repository.js';
import type { DisabledWebhook } from './webhooks.repository.js';

/**
 * Why an attempt failed without an HTTP status (or with a 3xx, which is never followed).
 * `internal_error`: nothing was sent — the dispatcher could not prepare the request (a webhook
 * secret no configured key opens, a bug) and gave up after bounded retries.
 * `webhook_disabled`: nothing was sent — the webhook was disabled, so its delivery ended.
 */
export type AttemptError =
  | 'timeout'
  | 'connection_refused'
  | 'connection_reset'
  | 'dns'
  | 'tls'
  | 'redirect'
  | 'blocked_address'
  | 'network'
  | 'internal_error'
  | 'webhook_disabled';

/**
 * Attempts that sent nothing: they say nothing about the endpoint, so they neither break nor extend
 * a failure streak, count in no stats, and have no request to show in the logs.
 */
export const NOTHING_SENT = ['internal_error', 'webhook_disabled'] as const satisfies readonly AttemptError[];
export type NothingSentError = (typeof NOTHING_SENT)[number];

/** What a batch of attempts did: the deliveries it moved on, and the webhooks it disabled. */
export interface RecordedOutcomes {
  recorded: Set<DeliveryId>;
  disabled: DisabledWebhook[];
}

/** How attempts judge their webhooks: disabled after failing this long (0: never; a 410 Gone disables at once). */
export interface AutoDisablePolicy {
  autoDisableAfterMs: number;
}

/** What one HTTP try gave: the dispatcher's result, the attempt row's payload, a log entry's core. */
export interface AttemptResult {
  requestedAt: Date;
  durationMs: number;
  statusCode: number | null;
  error: AttemptError | null;
  errorMessage: string | null;
  /** The first 1 KiB of the response body, as text. */
  responseBody: string | null;
  /** A 2xx answer. */
  succeeded: boolean;
}

/** One hour of a webhook's attempts (`hourlyStats`). */
export interface AttemptHourStats {
  /** The hour's start. */
  hour: Date;
  attempts: number;
  succeeded: number;
  avgMs: number;
  p50Ms: number;
  p95Ms: number;
}

/** One HTTP try and what it does to its delivery, as the dispatcher hands it over. */
export interface AttemptOutcome extends AttemptResult {
  /** The delivery's account, as its dispatch record says: the row is only moved if they agree. */
  accountId: AccountId;
  attemptId: AttemptId;
  deliveryId: DeliveryId;
  eventType: string;
  /** `deliveries.attempts` when the try was made; the try is number `expectedAttempts + 1`. */
  expectedAttempts: number;
  /** The delivery afterwards: `succeeded`, `pending` (another try at `nextAttemptAt`) or `failed`. */
  deliveryStatus: DeliveryStatus;
  nextAttemptAt: Date | null;
}

// ---- customer logs (API) — owned by the API; every read takes the account id ----------------------

/** Filters of a webhook's log. `status` is the delivery's status; times bound `requested_at`. */
export interface AttemptLogFilter {
  status?: DeliveryStatus;
  eventType?: string;
  since?: Date;
  until?: Date;
}

/** One attempt as the logs show it, with its delivery's current state. */
export interface AttemptLogEntry extends AttemptResult {
  id: AttemptId;
  eventId: EventId;
  eventType: string;
  attemptNumber: number;
  deliveryId: DeliveryId;
  deliveryStatus: DeliveryStatus;
  nextAttemptAt: Date | null;
}

interface AttemptLogRow {
  id: AttemptId;
  event_id: EventId;
  event_type: string;
  attempt_number: number;
  requested_at: Date;
  duration_ms: number;
  status_code: number | null;
  error: AttemptError | null;
  error_message: string | null;
  response_body: string | null;
  succeeded: boolean;
  delivery_id: DeliveryId;
  delivery_status: DeliveryStatus;
  next_attempt_at: Date | null;
}

const ATTEMPT_LOG_SELECT = `SELECT a.id, a.event_id, a.event_type, a.attempt_number, a.requested_at, a.duration_ms, a.status_code,
       a.error, a.error_message, a.response_body, a.succeeded, a.delivery_id, d.status AS delivery_status, d.next_attempt_at
  FROM attempts a JOIN deliveries d ON d.id = a.delivery_id`;

function toLogEntry(r: AttemptLogRow): AttemptLogEntry {
  return {
    id: r.id,
    eventId: r.event_id,
    eventType: r.event_type,
    attemptNumber: r.attempt_number,
    requestedAt: r.requested_at,
    durationMs: r.duration_ms,
    statusCode: r.status_code,
    error: r.error,
    errorMessage: r.error_message,
    responseBody: r.response_body,
    succeeded: r.succeeded,
    deliveryId: r.delivery_id,
    deliveryStatus: r.delivery_status,
    nextAttemptAt: r.next_attempt_at,
  };
}

@Injectable()
export class AttemptsRepository {
  constructor(private readonly dataSource: DataSource) {}

  // ---- dispatcher writes ------------------------------------------------------------------------

  /**
   * Records many attempts at once: one statement (so one transaction) that moves each delivery on
   * and inserts its attempt row. A delivery moves only if it is still `pending` with the attempt
   * count the try was made at, so a stale duplicate try (two workers on one delivery after a lost
   * job lock) neither double-counts nor logs a second row for the same attempt number.
   * Give at most one outcome per delivery.
   *
   * The same statement keeps each webhook's failure streak: a success ends it, the first failure
   * after one starts it (`failing_since`); a 410 Gone, or a streak `autoDisableAfterMs` long,
   * disables an enabled webhook (`disabled_notice_pending` until its `webhook.disabled` event is
   * stored). Only webhooks whose row changes are written (and locked, in id order): a batch of
   * successes to healthy webhooks writes none.
   */
  async recordOutcomes(outcomes: readonly AttemptOutcome[], policy: AutoDisablePolicy): Promise<RecordedOutcomes> {
    if (outcomes.length === 0) return { recorded: new Set(), disabled: [] };
    const col = <T>(pick: (o: AttemptOutcome) => T) => outcomes.map(pick);
    const [row]: Array<{ recorded: DeliveryId[]; disabled: Array<{ id: WebhookId; account_id: AccountId; url: string; reason: DisabledWebhook['reason']; disabled_at: string }> | null }> =
      await this.dataSource.query(
      `WITH input AS (
         SELECT * FROM unnest(
           $1::text[], $2::text[], $3::text[], $4::int[], $5::timestamptz[], $6::int[], $7::int[],
           $8::text[], $9::text[], $10::text[], $11::boolean[], $12::text[], $13::timestamptz[], $14::text[]
         ) AS i(attempt_id, delivery_id, event_type, expected_attempts, requested_at, duration_ms, status_code,
                error, error_message, response_body, succeeded, delivery_status, next_attempt_at, account_id)
       ),
       moved AS (
         UPDATE deliveries d
            SET status = i.delivery_status, attempts = d.attempts + 1, next_attempt_at = i.next_attempt_at,
                last_attempt_at = i.requested_at, updated_at = now()
           FROM input i
          WHERE d.id = i.delivery_id AND d.account_id = i.account_id AND d.status = 'pending' AND d.attempts = i.expected_attempts
         RETURNING d.id, d.account_id, d.webhook_id, d.event_id
       ),
       inserted AS (
         INSERT INTO attempts (id, account_id, delivery_id, webhook_id, event_id, event_type, attempt_number,
                               requested_at, duration_ms, status_code, error, error_message, response_body, succeeded)
         SELECT i.attempt_id, m.account_id, m.id, m.webhook_id, m.event_id, i.event_type, i.expected_attempts + 1,
                i.requested_at, i.duration_ms, i.status_code, i.error, i.error_message, i.response_body, i.succeeded
           FROM moved m JOIN input i ON i.delivery_id = m.id
         RETURNING delivery_id
       ),
       -- The requests made (not the attempts that sent nothing), by webhook.
       tries AS (
         SELECT m.webhook_id, i.requested_at, i.succeeded, i.status_code
           FROM moved m JOIN input i ON i.delivery_id = m.id
          WHERE i.error IS NULL OR NOT (i.error = ANY($15::text[]))
       ),
       last_success AS (
         SELECT webhook_id, max(requested_at) FILTER (WHERE succeeded) AS at FROM tries GROUP BY webhook_id
       ),
       -- Per webhook: its last success in this batch, and the failures after it.
       health AS (
         SELECT l.webhook_id, l.at AS last_success, min(t.requested_at) AS first_failure, max(t.requested_at) AS last_failure,
                COALESCE(bool_or(t.status_code = 410), false) AS gone
           FROM last_success l
           LEFT JOIN tries t ON t.webhook_id = l.webhook_id AND NOT t.succeeded AND (l.at IS NULL OR t.requested_at > l.at)
          GROUP BY l.webhook_id, l.at
       ),
       -- Each webhook's streak start afterwards and whether it is disabled now: the rows that change, locked.
       judged AS (
         SELECT w.id, f.failing_since, v.disable
           FROM health h
           JOIN webhooks w ON w.id = h.webhook_id
           CROSS JOIN LATERAL (
             SELECT CASE WHEN h.last_success IS NULL THEN COALESCE(w.failing_since, h.first_failure) ELSE h.first_failure END AS failing_since
           ) f
           CROSS JOIN LATERAL (
             -- A listen session (inbox listen) is never disabled: it lives only while its CLI listens.
             SELECT CASE WHEN w.status <> 'enabled' OR w.deleted_at IS NOT NULL OR w.kind = 'listen' THEN NULL
                         WHEN h.gone THEN 'gone'
                         WHEN $16::bigint > 0 AND h.last_failure >= f.failing_since + make_interval(secs => $16::float8 / 1000) THEN 'failing'
                    END AS disable
           ) v
          WHERE f.failing_since IS DISTINCT FROM w.failing_since OR v.disable IS NOT NULL
          ORDER BY w.id
          FOR UPDATE OF w
       ),
       changed AS (
         UPDATE webhooks w
            SET failing_since = j.failing_since,
                status = CASE WHEN j.disable IS NULL THEN w.status ELSE 'disabled' END,
                disabled_reason = COALESCE(j.disable, w.disabled_reason),
                -- To the millisecond, so the Date read back names the row exactly (markDisablesAnnounced).
                disabled_at = CASE WHEN j.disable IS NULL THEN w.disabled_at ELSE date_trunc('milliseconds', now()) END,
                disabled_notice_pending = w.disabled_notice_pending OR j.disable IS NOT NULL,
                updated_at = CASE WHEN j.disable IS NULL THEN w.updated_at ELSE now() END
           FROM judged j
          WHERE w.id = j.id
         RETURNING w.id, w.account_id, w.url, j.disable AS reason, w.disabled_at
       )
       SELECT ARRAY(SELECT delivery_id FROM inserted) AS recorded,
              (SELECT json_agg(c) FROM changed c WHERE c.reason IS NOT NULL) AS disabled`,
      [
        col((o) => o.attemptId),
        col((o) => o.deliveryId),
        col((o) => o.eventType),
        col((o) => o.expectedAttempts),
        col((o) => o.requestedAt),
        col((o) => o.durationMs),
        col((o) => o.statusCode),
        col((o) => o.error),
        col((o) => o.errorMessage),
        col((o) => o.responseBody),
        col((o) => o.succeeded),
        col((o) => o.deliveryStatus),
        col((o) => o.nextAttemptAt),
        col((o) => o.accountId),
        NOTHING_SENT,
        policy.autoDisableAfterMs,
      ],
    );
    return {
      recorded: new Set(row?.recorded ?? []),
      disabled: (row?.disabled ?? []).map((d) => ({
        webhookId: d.id,
        accountId: d.account_id,
        url: d.url,
        reason: d.reason,
        disabledAt: new Date(d.disabled_at),
      })),
    };
  }

  // ---- customer logs (API) ----------------------------------------------------------------------

  /**
   * A webhook's attempts, newest first (attempt ids are time-ordered), filtered, keyset-paginated:
   * `before` is the last attempt id of the previous page. Served by attempts_webhook_idx.
   */
  async listForWebhook(
    accountId: AccountId,
    webhookId: WebhookId,
    filter: AttemptLogFilter,
    page: { limit: number; before?: AttemptId },
  ): Promise<AttemptLogEntry[]> {
    const rows: AttemptLogRow[] = await this.dataSource.query(
      `${ATTEMPT_LOG_SELECT}
        WHERE a.webhook_id = $1 AND a.account_id = $2
          AND ($3::text IS NULL OR d.status = $3)
          AND ($4::text IS NULL OR a.event_type = $4)
          AND ($5::timestamptz IS NULL OR (a.requested_at >= $5 AND a.id >= $9))
          AND ($6::timestamptz IS NULL OR (a.requested_at < $6 AND a.id < $10))
          AND ($7::text IS NULL OR a.id < $7)
        ORDER BY a.id DESC
        LIMIT $8`,
      [
        webhookId,
        accountId,
        filter.status ?? null,
        filter.eventType ?? null,
        filter.since ?? null,
        filter.until ?? null,
        page.before ?? null,
        page.limit,
        // The same window as id bounds (an attempt's id carries its request's millisecond), so
        // Postgres walks only the window's slice of attempts_webhook_idx, not everything newer.
        filter.since ? idFloor('attempt', filter.since.getTime()) : null,
        filter.until ? idFloor('attempt', filter.until.getTime()) : null,
      ],
    );
    return rows.map(toLogEntry);
  }

  /**
   * Every attempt at one event of the account, oldest first. Filtered on the delivery side (its
   * copies of event and account are the attempt's): through the (event_id, webhook_id) index of
   * deliveries (every delivery of the event, resends included), then attempts by delivery —
   * attempts has no index on event_id.
   */
  async listForEvent(accountId: AccountId, eventId: EventId): Promise<AttemptLogEntry[]> {
    const rows: AttemptLogRow[] = await this.dataSource.query(
      `${ATTEMPT_LOG_SELECT} WHERE d.event_id = $1 AND d.account_id = $2 ORDER BY a.id`,
      [eventId, accountId],
    );
    return rows.map(toLogEntry);
  }

  /**
   * A webhook's attempts made since `since`, in hour buckets (oldest first; hours without attempts
   * are absent): how many, how many succeeded, and their latency (mean, median, 95th percentile).
   * Attempts that sent nothing (NOTHING_SENT) say nothing about the endpoint and are left out.
   * The id bound keeps it to the window's slice of attempts_webhook_idx (ids are time-ordered).
   */
  async hourlyStats(accountId: AccountId, webhookId: WebhookId, since: Date): Promise<AttemptHourStats[]> {
    const rows: Array<{ hour: Date; attempts: number; succeeded: number; avg_ms: number; p50_ms: number; p95_ms: number }> = await this.dataSource.query(
      `SELECT date_trunc('hour', a.requested_at) AS hour,
              count(*)::int AS attempts,
              count(*) FILTER (WHERE a.succeeded)::int AS succeeded,
              round(avg(a.duration_ms))::int AS avg_ms,
              round(percentile_cont(0.5) WITHIN GROUP (ORDER BY a.duration_ms))::int AS p50_ms,
              round(percentile_cont(0.95) WITHIN GROUP (ORDER BY a.duration_ms))::int AS p95_ms
         FROM attempts a
        WHERE a.webhook_id = $1 AND a.account_id = $2 AND a.id >= $3 AND a.requested_at >= $4
          AND (a.error IS NULL OR a.error <> ALL($5::text[]))
        GROUP BY 1
        ORDER BY 1`,
      [webhookId, accountId, idFloor('attempt', since.getTime()), since, NOTHING_SENT],
    );
    return rows.map((r) => ({ hour: r.hour, attempts: r.attempts, succeeded: r.succeeded, avgMs: r.avg_ms, p50Ms: r.p50_ms, p95Ms: r.p95_ms }));
  }
}
