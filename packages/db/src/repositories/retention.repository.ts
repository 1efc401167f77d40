import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { deleteInBatches } from './batched-delete.js';

/** Rows per DELETE: milliseconds each, so no statement holds its locks for long. */
export const RETENTION_BATCH = 2_000;
/** Events handled per round: their attempts, then their deliveries, then they go. */
const EVENTS_PER_ROUND = 500;

/** What one cleanup removed. */
export interface PurgedHistory {
  events: number;
  deliveries: number;
  attempts: number;
  webhooks: number;
  sessions: number;
}

/**
 * INBOX_RETENTION's cleanup, across every account (it reads no customer data; it only removes
 * what is older than the retention period). Everything goes in bounded batches, each statement its
 * own short transaction, children before parents so no cascade deletes an unbounded number of rows.
 */
@Injectable()
export class RetentionRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Events accepted (`received_at`) before `before`, with their deliveries and attempts, oldest
   * first, until none is left or `until()` says stop.
   */
  async purgeEvents(before: Date, until: () => boolean = () => false): Promise<Pick<PurgedHistory, 'events' | 'deliveries' | 'attempts'>> {
    const purged = { events: 0, deliveries: 0, attempts: 0 };
    for (;;) {
      const rows: Array<{ id: string }> = await this.dataSource.query(
        `SELECT id FROM events WHERE received_at < $1 ORDER BY received_at LIMIT $2`,
        [before, EVENTS_PER_ROUND],
      );
      const ids = rows.map((r) => r.id);
      if (ids.length === 0) return purged;
      purged.attempts += await deleteInBatches(
        this.dataSource,
        `DELETE FROM attempts WHERE id IN (
           SELECT a.id FROM deliveries d JOIN attempts a ON a.delivery_id = d.id WHERE d.event_id = ANY($2::text[]) LIMIT $1)`,
        [ids],
        RETENTION_BATCH,
      );
      purged.deliveries += await deleteInBatches(
        this.dataSource,
        `DELETE FROM deliveries WHERE id IN (SELECT id FROM deliveries WHERE event_id = ANY($2::text[]) LIMIT $1)`,
        [ids],
        RETENTION_BATCH,
      );
      const [, events]: [unknown[], number] = await this.dataSource.query(`DELETE FROM events WHERE id = ANY($1::text[])`, [ids]);
      purged.events += events;
      if (ids.length < EVENTS_PER_ROUND || until()) return purged;
    }
  }

  /**
   * Webhooks soft-deleted before `before`. Their deliveries are from events accepted before the
   * deletion, so purgeEvents with the same cutoff removed them already; the cascade has little left.
   */
  async purgeDeletedWebhooks(before: Date, until?: () => boolean): Promise<number> {
    return deleteInBatches(
      this.dataSource,
      `DELETE FROM webhooks WHERE id IN (SELECT id FROM webhooks WHERE deleted_at < $2 LIMIT $1)`,
      [before],
      RETENTION_BATCH / 10,
      until,
    );
  }

  /** Dashboard sessions past their expiry. */
  async purgeExpiredSessions(until?: () => boolean): Promise<number> {
    return deleteInBatches(
      this.dataSource,
      `DELETE FROM dashboard_sessions WHERE token_hash IN (SELECT token_hash FROM dashboard_sessions WHERE expires_at <= now() LIMIT $1)`,
      [],
      RETENTION_BATCH,
      until,
    );
  }
}
