import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { newId, type AccountId, type DeliveryId, type EventId, type WebhookId } from '../ids.js';

/**
 * What a resend did: made a new pending delivery; found no delivery of the event to the webhook
 * (never sent there, or not the account's); or found one still pending (it is not queued twice).
 */
export type ResendResult = { created: DeliveryId } | { neverSent: true } | { stillPending: true };

/** Events whose `created_at` lies in `[since, until)`. */
export interface RecoverWindow {
  since: Date;
  until: Date;
}

/** One batch of a recover: the deliveries it made, and where the next batch starts (null: done). */
export interface RecoverBatch {
  created: DeliveryId[];
  next: EventId | null;
}

/**
 * New deliveries of events already sent: each a fresh row (attempts from 0, due now) whose
 * `resend_of` names the delivery it repeats. At most one delivery of a pair is pending at a time
 * (deliveries_one_pending_key): a pair with one is skipped, also when two requests race.
 */
@Injectable()
export class ResendsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A new delivery of the event to the webhook, repeating the pair's latest delivery. */
  async resend(accountId: AccountId, webhookId: WebhookId, eventId: EventId): Promise<ResendResult> {
    const [row]: Array<{ previous_id: DeliveryId | null; created_id: DeliveryId | null }> = await this.dataSource.query(
      `WITH previous AS (
         SELECT id FROM deliveries
          WHERE event_id = $3 AND webhook_id = $2 AND account_id = $1
          ORDER BY id DESC LIMIT 1
       ), created AS (
         INSERT INTO deliveries (id, account_id, event_id, webhook_id, status, attempts, next_attempt_at, resend_of)
         SELECT $4, $1, $3, $2, 'pending', 0, now(), p.id FROM previous p
         ON CONFLICT (event_id, webhook_id) WHERE status = 'pending' DO NOTHING
         RETURNING id
       )
       SELECT (SELECT id FROM previous) AS previous_id, (SELECT id FROM created) AS created_id`,
      [accountId, webhookId, eventId, newId('delivery')],
    );
    if (row?.created_id) return { created: row.created_id };
    return row?.previous_id ? { stillPending: true } : { neverSent: true };
  }

  /**
   * One bounded batch of a recover: the events in the window (after `after`, in id order) whose
   * delivery to the webhook ended `failed` and was not followed by a success, and that have no
   * pending delivery, each sent again once — repeating its latest failed delivery. Served by
   * deliveries_failed_idx; each batch is two statements of at most `limit` rows.
   */
  async recoverBatch(
    accountId: AccountId,
    webhookId: WebhookId,
    window: RecoverWindow,
    after: EventId | null,
    limit: number,
  ): Promise<RecoverBatch> {
    const candidates: Array<{ event_id: EventId; failed_id: DeliveryId }> = await this.dataSource.query(
      `SELECT d.event_id, max(d.id) AS failed_id
         FROM deliveries d JOIN events e ON e.id = d.event_id
        WHERE d.webhook_id = $2 AND d.account_id = $1 AND d.status = 'failed'
          AND ($5::text IS NULL OR d.event_id > $5)
          AND e.created_at >= $3 AND e.created_at < $4
          AND NOT EXISTS (
            SELECT 1 FROM deliveries o
             WHERE o.event_id = d.event_id AND o.webhook_id = d.webhook_id
               AND (o.status = 'pending' OR (o.status = 'succeeded' AND o.id > d.id)))
        GROUP BY d.event_id
        ORDER BY d.event_id
        LIMIT $6`,
      [accountId, webhookId, window.since, window.until, after, limit],
    );
    if (candidates.length === 0) return { created: [], next: null };
    const created: Array<{ id: DeliveryId }> = await this.dataSource.query(
      `INSERT INTO deliveries (id, account_id, event_id, webhook_id, status, attempts, next_attempt_at, resend_of)
       SELECT n.id, $1, n.event_id, $2, 'pending', 0, now(), n.resend_of
         FROM unnest($3::text[], $4::text[], $5::text[]) AS n(id, event_id, resend_of)
       ON CONFLICT (event_id, webhook_id) WHERE status = 'pending' DO NOTHING
       RETURNING id`,
      [
        accountId,
        webhookId,
        candidates.map(() => newId('delivery')),
        candidates.map((c) => c.event_id),
        candidates.map((c) => c.failed_id),
      ],
    );
    return {
      created: created.map((r) => r.id),
      next: candidates.length === limit ? candidates.at(-1)!.event_id : null,
    };
  }
}
