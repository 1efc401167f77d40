import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AccountId, DeliveryId, EventId, WebhookId } from '../ids.js';
import type { DisabledReason, WebhookKind, WebhookStatus } from './webhooks.repository.js';

/** `pending` until a 2xx (`succeeded`) or the schedule runs out (`failed`). */
export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

/** Everything one delivery attempt needs, read in one query (see `loadForDispatch`). */
export interface DispatchRecord {
  deliveryId: DeliveryId;
  accountId: AccountId;
  status: DeliveryStatus;
  /** Tries made so far; the next one is number `attempts + 1`. */
  attempts: number;
  nextAttemptAt: Date | null;
  eventId: EventId;
  eventType: string;
  /** When the API accepted the event: where delivery lag and delivery duration start. */
  receivedAt: Date;
  /** The exact bytes to send, serialized once at ingest. */
  body: string;
  webhookId: WebhookId;
  /** `listen`: an `inbox listen` session, reached through its CLI's stream rather than by POST. */
  webhookKind: WebhookKind;
  url: string;
  secretSealed: string;
  /** The secret a rotation replaced, while it still signs beside `secretSealed`; null otherwise. */
  previousSecretSealed: string | null;
  webhookStatus: WebhookStatus;
  /** Why the webhook is disabled (null while it is enabled). */
  webhookDisabledReason: DisabledReason | null;
  webhookDeleted: boolean;
  /** Changes whenever the webhook (its secret included) changes: the secret cache's version. */
  webhookUpdatedAt: Date;
  /** The webhook's throttle: at most this many deliveries a second; null: unlimited. */
  rateLimit: number | null;
}

/** A pending delivery the reconciler may need to enqueue again; also the scan's keyset cursor. */
export interface OverdueDelivery {
  id: DeliveryId;
  accountId: AccountId;
  webhookId: WebhookId;
  /** `next_attempt_at` as Postgres prints it: exact to the microsecond, unlike a JS Date. */
  dueAt: string;
}

interface DispatchRow {
  delivery_id: DeliveryId;
  account_id: AccountId;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date | null;
  event_id: EventId;
  event_type: string;
  received_at: Date;
  body: string;
  webhook_id: WebhookId;
  webhook_kind: WebhookKind;
  url: string;
  secret_sealed: string;
  previous_secret_sealed: string | null;
  webhook_status: WebhookStatus;
  webhook_disabled_reason: DisabledReason | null;
  webhook_deleted: boolean;
  webhook_updated_at: Date;
  rate_limit: number | null;
}

/**
 * Delivery state for the dispatcher, the one cross-tenant reader: it works from job ids alone, so
 * these methods go by delivery id. Every record they return carries its own `AccountId`, which is
 * what the attempts written for it must name (`AttemptsRepository.recordOutcomes` checks it).
 * Customer-facing reads live elsewhere and take an account id first.
 */
@Injectable()
export class DeliveriesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Delivery + event body + webhook for each id, in one query; ids with no row are absent. */
  async loadForDispatch(deliveryIds: readonly DeliveryId[]): Promise<DispatchRecord[]> {
    if (deliveryIds.length === 0) return [];
    const rows: DispatchRow[] = await this.dataSource.query(
      `SELECT d.id AS delivery_id, d.account_id, d.status, d.attempts, d.next_attempt_at,
              e.id AS event_id, e.type AS event_type, e.received_at, e.body,
              w.id AS webhook_id, w.kind AS webhook_kind, w.url, w.secret_sealed, w.status AS webhook_status, w.disabled_reason AS webhook_disabled_reason,
              CASE WHEN w.previous_secret_expires_at > now() THEN w.previous_secret_sealed END AS previous_secret_sealed,
              (w.deleted_at IS NOT NULL) AS webhook_deleted, w.updated_at AS webhook_updated_at, w.rate_limit
         FROM deliveries d
         JOIN events e ON e.id = d.event_id
         JOIN webhooks w ON w.id = d.webhook_id
        WHERE d.id = ANY($1::text[])`,
      [deliveryIds],
    );
    return rows.map((r) => ({
      deliveryId: r.delivery_id,
      accountId: r.account_id,
      status: r.status,
      attempts: r.attempts,
      nextAttemptAt: r.next_attempt_at,
      eventId: r.event_id,
      eventType: r.event_type,
      receivedAt: r.received_at,
      body: r.body,
      webhookId: r.webhook_id,
      webhookKind: r.webhook_kind,
      url: r.url,
      secretSealed: r.secret_sealed,
      previousSecretSealed: r.previous_secret_sealed,
      webhookStatus: r.webhook_status,
      webhookDisabledReason: r.webhook_disabled_reason,
      webhookDeleted: r.webhook_deleted,
      webhookUpdatedAt: r.webhook_updated_at,
      rateLimit: r.rate_limit,
    }));
  }

  /**
   * Ends pending deliveries without another attempt (their webhook was deleted, or the schedule
   * has no attempt left). Returns the ids actually changed.
   */
  async failWithoutAttempt(deliveryIds: readonly DeliveryId[]): Promise<DeliveryId[]> {
    if (deliveryIds.length === 0) return [];
    // TypeORM answers an UPDATE … RETURNING with [rows, rowCount], not rows.
    const [rows]: [Array<{ id: DeliveryId }>, number] = await this.dataSource.query(
      `UPDATE deliveries SET status = 'failed', next_attempt_at = NULL, updated_at = now()
        WHERE id = ANY($1::text[]) AND status = 'pending'
        RETURNING id`,
      [deliveryIds],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Pending deliveries due before `dueBefore`, oldest due first, after the keyset cursor `after`
   * (exclusive) when given. Served by the partial index deliveries_pending_due_idx.
   */
  async listOverduePending(dueBefore: Date, limit: number, after?: OverdueDelivery): Promise<OverdueDelivery[]> {
    const rows: Array<{ id: DeliveryId; account_id: AccountId; webhook_id: WebhookId; due_at: string }> = after
      ? await this.dataSource.query(
          `SELECT id, account_id, webhook_id, next_attempt_at::text AS due_at FROM deliveries
            WHERE status = 'pending' AND next_attempt_at < $1 AND (next_attempt_at, id) > ($2::timestamptz, $3)
            ORDER BY next_attempt_at, id LIMIT $4`,
          [dueBefore, after.dueAt, after.id, limit],
        )
      : await this.dataSource.query(
          `SELECT id, account_id, webhook_id, next_attempt_at::text AS due_at FROM deliveries
            WHERE status = 'pending' AND next_attempt_at < $1
            ORDER BY next_attempt_at, id LIMIT $2`,
          [dueBefore, limit],
        );
    return rows.map((r) => ({ id: r.id, accountId: r.account_id, webhookId: r.webhook_id, dueAt: r.due_at }));
  }

  /**
   * Seconds the most overdue pending delivery has waited past its due time (0 when none is due),
   * across all accounts: an operational figure, no customer data. One probe of the partial index
   * deliveries_pending_due_idx, cheap enough for every scrape.
   */
  async oldestPendingSeconds(): Promise<number> {
    const [row]: Array<{ seconds: number | null }> = await this.dataSource.query(
      `SELECT extract(epoch FROM now() - min(next_attempt_at))::float8 AS seconds FROM deliveries
        WHERE status = 'pending' AND next_attempt_at <= now()`,
    );
    return Math.max(0, row?.seconds ?? 0);
  }
}
