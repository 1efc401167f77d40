import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AccountId, DeliveryId, EventId, WebhookId } from '../ids.js';
import type { DeliveryStatus } from './deliveries.repository.js';

/** An event to store with the deliveries it fans out to. */
export interface NewEvent {
  id: EventId;
  accountId: AccountId;
  type: string;
  createdAt: string;
  /** The serialized envelope, sent verbatim on every attempt. */
  body: string;
  /** `held`: stored `failed` and never sent (the webhook is disabled by the platform; see DeliveryTarget). */
  deliveries: Array<{ id: DeliveryId; webhookId: WebhookId; held?: boolean }>;
}

/**
 * An event id that was already stored, as one account sees it: its own event (with how many
 * deliveries it made), or an id another account holds — never which one.
 */
export type StoredEvent = { id: EventId; ownedBy: 'account'; deliveries: number } | { id: EventId; ownedBy: 'another_account' };

export interface EventWithDeliveries {
  id: EventId;
  type: string;
  createdAt: Date;
  receivedAt: Date;
  body: string;
  deliveries: Array<{
    id: DeliveryId;
    webhookId: WebhookId;
    status: DeliveryStatus;
    attempts: number;
    nextAttemptAt: Date | null;
    lastAttemptAt: Date | null;
    createdAt: Date;
    /** The delivery this one repeats (a resend or recover), or null for the original. */
    resendOf: DeliveryId | null;
  }>;
}

@Injectable()
export class EventsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Stores events and their pending deliveries (due now) in ONE statement, so both are committed
   * together or not at all. Events whose id already exists are skipped along with their
   * deliveries; returns the ids that were stored. Bulk unnest inserts: two inserts per call,
   * however many events. Rows go in id order, so two concurrent calls that share ids (a retried
   * request in two micro-batches) wait on each other instead of deadlocking.
   */
  async storeWithDeliveries(unordered: readonly NewEvent[]): Promise<Set<EventId>> {
    if (unordered.length === 0) return new Set();
    const events = [...unordered].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const deliveries = events.flatMap((e) => e.deliveries.map((d) => ({ ...d, eventId: e.id, accountId: e.accountId })));
    const rows: Array<{ id: EventId }> = await this.dataSource.query(
      `WITH stored AS (
         INSERT INTO events (id, account_id, type, created_at, body)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[])
         ON CONFLICT (id) DO NOTHING
         RETURNING id
       ), fanned AS (
         INSERT INTO deliveries (id, account_id, event_id, webhook_id, status, attempts, next_attempt_at)
         SELECT d.id, d.account_id, d.event_id, d.webhook_id,
                CASE WHEN d.held THEN 'failed' ELSE 'pending' END, 0, CASE WHEN d.held THEN NULL ELSE now() END
         FROM unnest($6::text[], $7::text[], $8::text[], $9::text[], $10::boolean[]) AS d(id, account_id, event_id, webhook_id, held)
         WHERE d.event_id IN (SELECT id FROM stored)
       )
       SELECT id FROM stored`,
      [
        events.map((e) => e.id),
        events.map((e) => e.accountId),
        events.map((e) => e.type),
        events.map((e) => e.createdAt),
        events.map((e) => e.body),
        deliveries.map((d) => d.id),
        deliveries.map((d) => d.accountId),
        deliveries.map((d) => d.eventId),
        deliveries.map((d) => d.webhookId),
        deliveries.map((d) => d.held === true),
      ],
    );
    return new Set(rows.map((r) => r.id));
  }

  /**
   * Event ids of `accountId` that were already stored, as that account may see them (to answer a
   * repeated ingest, or refuse an id another account holds). Ids not stored at all are absent.
   * `deliveries` counts those ingest made (resends are not), so a repeat gets the first answer.
   */
  async findStored(accountId: AccountId, eventIds: readonly EventId[]): Promise<StoredEvent[]> {
    if (eventIds.length === 0) return [];
    const rows: Array<{ id: EventId; owned: boolean; deliveries: number }> = await this.dataSource.query(
      `SELECT e.id, e.account_id = $2 AS owned,
              CASE WHEN e.account_id = $2 THEN (SELECT count(*)::int FROM deliveries d WHERE d.event_id = e.id AND d.resend_of IS NULL) ELSE 0 END AS deliveries
       FROM events e WHERE e.id = ANY($1::text[])`,
      [eventIds, accountId],
    );
    return rows.map((r) => (r.owned ? { id: r.id, ownedBy: 'account', deliveries: r.deliveries } : { id: r.id, ownedBy: 'another_account' }));
  }

  /** One event of the account with its deliveries (oldest first), or null. */
  async findWithDeliveries(accountId: AccountId, eventId: EventId): Promise<EventWithDeliveries | null> {
    const events: Array<{ id: EventId; type: string; created_at: Date; received_at: Date; body: string }> = await this.dataSource.query(
      `SELECT id, type, created_at, received_at, body FROM events WHERE id = $1 AND account_id = $2`,
      [eventId, accountId],
    );
    const event = events[0];
    if (!event) return null;
    const deliveries: Array<{
      id: DeliveryId;
      webhook_id: WebhookId;
      status: DeliveryStatus;
      attempts: number;
      next_attempt_at: Date | null;
      last_attempt_at: Date | null;
      created_at: Date;
      resend_of: DeliveryId | null;
    }> = await this.dataSource.query(
      `SELECT id, webhook_id, status, attempts, next_attempt_at, last_attempt_at, created_at, resend_of
       FROM deliveries WHERE event_id = $1 AND account_id = $2 ORDER BY id`,
      [eventId, accountId],
    );
    return {
      id: event.id,
      type: event.type,
      createdAt: event.created_at,
      receivedAt: event.received_at,
      body: event.body,
      deliveries: deliveries.map((d) => ({
        id: d.id,
        webhookId: d.webhook_id,
        status: d.status,
        attempts: d.attempts,
        nextAttemptAt: d.next_attempt_at,
        lastAttemptAt: d.last_attempt_at,
        createdAt: d.created_at,
        resendOf: d.resend_of,
      })),
    };
  }
}
