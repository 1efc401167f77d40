import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `inbox listen` sessions are webhooks of kind `listen`: deliveries to them go through the normal
 * pipeline and log, but the dispatcher hands them to the API replica holding the CLI's stream
 * instead of POSTing them. `last_seen_at` is refreshed by that replica while the stream is open;
 * a session not seen for a while (its API replica died) is deleted by any replica's sweep, served
 * by webhooks_listen_seen_idx. Every existing webhook is `http`.
 */
export class ListenSessions1764400000000 implements MigrationInterface {
  name = 'ListenSessions1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE webhooks
        ADD COLUMN kind text NOT NULL DEFAULT 'http',
        ADD COLUMN last_seen_at timestamptz,
        ADD CONSTRAINT webhooks_kind_check CHECK (kind IN ('http', 'listen'))`);
    await q.query(`CREATE INDEX webhooks_listen_seen_idx ON webhooks (last_seen_at) WHERE kind = 'listen' AND deleted_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS webhooks_listen_seen_idx`);
    await q.query(`
      ALTER TABLE webhooks
        DROP CONSTRAINT IF EXISTS webhooks_kind_check,
        DROP COLUMN IF EXISTS last_seen_at,
        DROP COLUMN IF EXISTS kind`);
  }
}
