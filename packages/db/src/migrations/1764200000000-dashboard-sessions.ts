import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Dashboard sign-in sessions. The browser holds a random token in an httpOnly cookie; only its
 * SHA-256 is stored (the primary key), so a leaked table opens no session. A session acts with the
 * API key it was opened with (`api_key_id`: rate limit per key; revoking the key ends it) and ends
 * at `expires_at` or at sign-out. Expired rows are removed when the account next signs in
 * (`dashboard_sessions_account_idx`).
 */
export class DashboardSessions1764200000000 implements MigrationInterface {
  name = 'DashboardSessions1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE dashboard_sessions (
        token_hash text PRIMARY KEY,
        account_id text NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        api_key_id text NOT NULL REFERENCES api_keys(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        CONSTRAINT dashboard_sessions_expiry_check CHECK (expires_at > created_at)
      )`);
    await q.query(`CREATE INDEX dashboard_sessions_account_idx ON dashboard_sessions (account_id, expires_at)`);
    await q.query(`CREATE INDEX dashboard_sessions_api_key_idx ON dashboard_sessions (api_key_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS dashboard_sessions`);
  }
}
