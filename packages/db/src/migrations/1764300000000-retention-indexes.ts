import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for INBOX_RETENTION's cleanup, so each of its bounded batches finds its rows without a
 * scan however much history there is: events by when they were accepted, soft-deleted webhooks by
 * when they were deleted (partial: live webhooks cost nothing), idempotency keys by age, dashboard
 * sessions by expiry. The cascades it relies on are indexed already (deliveries by event and by
 * webhook, attempts by delivery).
 */
export class RetentionIndexes1764300000000 implements MigrationInterface {
  name = 'RetentionIndexes1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX events_received_at_idx ON events (received_at)`);
    await q.query(`CREATE INDEX webhooks_deleted_at_idx ON webhooks (deleted_at) WHERE deleted_at IS NOT NULL`);
    await q.query(`CREATE INDEX idempotency_keys_created_at_idx ON idempotency_keys (created_at)`);
    await q.query(`CREATE INDEX dashboard_sessions_expires_at_idx ON dashboard_sessions (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const index of ['dashboard_sessions_expires_at_idx', 'idempotency_keys_created_at_idx', 'webhooks_deleted_at_idx', 'events_received_at_idx']) {
      await q.query(`DROP INDEX IF EXISTS ${index}`);
    }
  }
}
