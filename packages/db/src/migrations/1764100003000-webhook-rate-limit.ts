import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A per-webhook throttle: at most `rate_limit` deliveries per second to that webhook, across every
 * dispatcher replica; null (every existing webhook) means unlimited.
 */
export class WebhookRateLimit1764100003000 implements MigrationInterface {
  name = 'WebhookRateLimit1764100003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE webhooks
        ADD COLUMN rate_limit int,
        ADD CONSTRAINT webhooks_rate_limit_check CHECK (rate_limit BETWEEN 1 AND 10000)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE webhooks
        DROP CONSTRAINT IF EXISTS webhooks_rate_limit_check,
        DROP COLUMN IF EXISTS rate_limit`);
  }
}
