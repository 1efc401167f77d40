import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Secret rotation: the secret a rotation replaced keeps signing beside the new one until
 * `previous_secret_expires_at`. Both columns are set together or both null (no previous secret).
 */
export class WebhookPreviousSecret1764100000000 implements MigrationInterface {
  name = 'WebhookPreviousSecret1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE webhooks
        ADD COLUMN previous_secret_sealed text,
        ADD COLUMN previous_secret_expires_at timestamptz,
        ADD CONSTRAINT webhooks_previous_secret_check
          CHECK ((previous_secret_sealed IS NULL) = (previous_secret_expires_at IS NULL))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE webhooks
        DROP CONSTRAINT IF EXISTS webhooks_previous_secret_check,
        DROP COLUMN IF EXISTS previous_secret_expires_at,
        DROP COLUMN IF EXISTS previous_secret_sealed`);
  }
}
