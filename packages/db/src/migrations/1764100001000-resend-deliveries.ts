import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Resend and recover: one (event, webhook) pair may now have several deliveries — the original and
 * one per resend, each with its own schedule — but at most one `pending` at a time (a partial unique
 * index, so "not queued twice" holds under concurrency too). `resend_of` names the delivery a
 * resend repeats (null for the original) — no foreign key: both rows belong to one event and go
 * with it, and a key would make every delivery delete look up its resends. Recover finds a webhook's failed deliveries by event
 * through a partial index, so it costs nothing for deliveries that succeeded.
 */
export class ResendDeliveries1764100001000 implements MigrationInterface {
  name = 'ResendDeliveries1764100001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deliveries ADD COLUMN resend_of text`);
    await q.query(`DROP INDEX deliveries_event_webhook_key`);
    await q.query(`CREATE INDEX deliveries_event_webhook_idx ON deliveries (event_id, webhook_id)`);
    await q.query(
      `CREATE UNIQUE INDEX deliveries_one_pending_key ON deliveries (event_id, webhook_id) WHERE status = 'pending'`,
    );
    await q.query(`CREATE INDEX deliveries_failed_idx ON deliveries (webhook_id, event_id) WHERE status = 'failed'`);
  }

  async down(q: QueryRunner): Promise<void> {
    // The old schema holds one delivery per pair: resends (and their attempts) cannot stay.
    await q.query(`DELETE FROM deliveries WHERE resend_of IS NOT NULL`);
    await q.query(`DROP INDEX IF EXISTS deliveries_failed_idx`);
    await q.query(`DROP INDEX IF EXISTS deliveries_one_pending_key`);
    await q.query(`DROP INDEX IF EXISTS deliveries_event_webhook_idx`);
    await q.query(`CREATE UNIQUE INDEX deliveries_event_webhook_key ON deliveries (event_id, webhook_id)`);
    await q.query(`ALTER TABLE deliveries DROP COLUMN IF EXISTS resend_of`);
  }
}
