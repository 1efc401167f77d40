import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Auto-disable. `failing_since`: when the webhook's current streak of failed attempts began (the
 * first failure after its last success; null while it succeeds). `disabled_reason` and
 * `disabled_at` say why and when it was disabled — by the platform (`failing`: the streak lasted
 * INBOX_AUTO_DISABLE_AFTER; `gone`: it answered 410) or by its owner (`manual`) — and are null
 * while it is enabled. `disabled_notice_pending`: the platform disabled it and its
 * `webhook.disabled` event is not stored yet (the dispatcher stores it right after; the partial
 * index lets the reconciler find the few it did not).
 */
export class WebhookAutoDisable1764100002000 implements MigrationInterface {
  name = 'WebhookAutoDisable1764100002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE webhooks
        ADD COLUMN failing_since timestamptz,
        ADD COLUMN disabled_reason text,
        ADD COLUMN disabled_at timestamptz,
        ADD COLUMN disabled_notice_pending boolean NOT NULL DEFAULT false,
        ADD CONSTRAINT webhooks_disabled_reason_check CHECK (disabled_reason IN ('failing', 'gone', 'manual')),
        ADD CONSTRAINT webhooks_enabled_not_disabled_check
          CHECK (status = 'disabled' OR (disabled_reason IS NULL AND disabled_at IS NULL AND NOT disabled_notice_pending))`);
    // Webhooks disabled before this migration were disabled by their owners.
    await q.query(`UPDATE webhooks SET disabled_reason = 'manual', disabled_at = updated_at WHERE status = 'disabled'`);
    await q.query(`CREATE INDEX webhooks_disabled_notice_idx ON webhooks (disabled_at) WHERE disabled_notice_pending`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS webhooks_disabled_notice_idx`);
    await q.query(`
      ALTER TABLE webhooks
        DROP CONSTRAINT IF EXISTS webhooks_enabled_not_disabled_check,
        DROP CONSTRAINT IF EXISTS webhooks_disabled_reason_check,
        DROP COLUMN IF EXISTS disabled_notice_pending,
        DROP COLUMN IF EXISTS disabled_at,
        DROP COLUMN IF EXISTS disabled_reason,
        DROP COLUMN IF EXISTS failing_since`);
  }
}
