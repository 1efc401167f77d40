import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AccountId, AttemptId, DeliveryId, EventId, WebhookId } from '../ids.js';
import type { DeliveryStatus } from './deliveries.repository.js';

/**
 * Why an attempt failed without an HTTP status (or with a 3xx, which is never followed).
 * `internal_error`: nothing was sent — the dispatcher could not prepare the request (a webhook
 * secret no configured key opens, a bug) and gave up after bounded retries.
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
  | 'internal_error';

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
   * Returns the delivery ids whose attempt was recorded. Give at most one outcome per delivery.
   */
  async recordOutcomes(outcomes: readonly AttemptOutcome[]): Promise<Set<DeliveryId>> {
    if (outcomes.length === 0) return new Set();
    const col = <T>(pick: (o: AttemptOutcome) => T) => outcomes.map(pick);
    const rows: Array<{ delivery_id: DeliveryId }> = await this.dataSource.query(
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
       )
       INSERT INTO attempts (id, account_id, delivery_id, webhook_id, event_id, event_type, attempt_number,
                             requested_at, duration_ms, status_code, error, error_message, response_body, succeeded)
       SELECT i.attempt_id, m.account_id, m.id, m.webhook_id, m.event_id, i.event_type, i.expected_attempts + 1,
              i.requested_at, i.duration_ms, i.status_code, i.error, i.error_message, i.response_body, i.succeeded
         FROM moved m JOIN input i ON i.delivery_id = m.id
       RETURNING delivery_id`,
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
      ],
    );
    return new Set(rows.map((r) => r.delivery_id));
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
          AND ($5::timestamptz IS NULL OR a.requested_at >= $5)
          AND ($6::timestamptz IS NULL OR a.requested_at < $6)
          AND ($7::text IS NULL OR a.id < $7)
        ORDER BY a.id DESC
        LIMIT $8`,
      [webhookId, accountId, filter.status ?? null, filter.eventType ?? null, filter.since ?? null, filter.until ?? null, page.before ?? null, page.limit],
    );
    return rows.map(toLogEntry);
  }

  /**
   * Every attempt at one event of the account, oldest first. Filtered on the delivery side (its
   * copies of event and account are the attempt's): through the unique (event_id, webhook_id)
   * index of deliveries, then attempts by delivery — attempts has no index on event_id.
   */
  async listForEvent(accountId: AccountId, eventId: EventId): Promise<AttemptLogEntry[]> {
    const rows: AttemptLogRow[] = await this.dataSource.query(
      `${ATTEMPT_LOG_SELECT} WHERE d.event_id = $1 AND d.account_id = $2 ORDER BY a.id`,
      [eventId, accountId],
    );
    return rows.map(toLogEntry);
  }
}
