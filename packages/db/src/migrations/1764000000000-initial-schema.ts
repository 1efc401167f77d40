import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE accounts (
        id text PRIMARY KEY,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE api_keys (
        id text PRIMARY KEY,
        account_id text NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        key_hash text NOT NULL,
        prefix text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX api_keys_hash_key ON api_keys (key_hash)`);
    await q.query(`CREATE INDEX api_keys_account_idx ON api_keys (account_id)`);

    await q.query(`
      CREATE TABLE webhooks (
        id text PRIMARY KEY,
        account_id text NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        url text NOT NULL,
        events text[] NOT NULL,
        description text,
        status text NOT NULL DEFAULT 'enabled' CHECK (status IN ('enabled', 'disabled')),
        secret_sealed text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      )`);
    // Lists and the subscribed-webhooks lookup at ingest both go by account, live rows only.
    await q.query(`CREATE INDEX webhooks_account_idx ON webhooks (account_id, id) WHERE deleted_at IS NULL`);

    await q.query(`
      CREATE TABLE events (
        id text PRIMARY KEY,
        account_id text NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        type text NOT NULL,
        created_at timestamptz NOT NULL,
        body text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX events_account_idx ON events (account_id, id)`);

    await q.query(`
      CREATE TABLE deliveries (
        id text PRIMARY KEY,
        account_id text NOT NULL,
        event_id text NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        webhook_id text NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        last_attempt_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX deliveries_event_webhook_key ON deliveries (event_id, webhook_id)`);
    // The reconciler's scan: pending deliveries by due time. Partial, so finished rows cost nothing.
    await q.query(`CREATE INDEX deliveries_pending_due_idx ON deliveries (next_attempt_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX deliveries_webhook_idx ON deliveries (webhook_id, id)`);

    await q.query(`
      CREATE TABLE attempts (
        id text PRIMARY KEY,
        account_id text NOT NULL,
        delivery_id text NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
        webhook_id text NOT NULL,
        event_id text NOT NULL,
        event_type text NOT NULL,
        attempt_number int NOT NULL,
        requested_at timestamptz NOT NULL,
        duration_ms int NOT NULL,
        status_code int,
        error text,
        error_message text,
        response_body text,
        succeeded boolean NOT NULL
      )`);
    // Logs: a webhook's attempts newest first (ids are time-ordered ULIDs).
    await q.query(`CREATE INDEX attempts_webhook_idx ON attempts (webhook_id, id)`);
    await q.query(`CREATE INDEX attempts_delivery_idx ON attempts (delivery_id, attempt_number)`);

    await q.query(`
      CREATE TABLE idempotency_keys (
        account_id text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        status_code int NOT NULL,
        response_body jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (account_id, key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['idempotency_keys', 'attempts', 'deliveries', 'events', 'webhooks', 'api_keys', 'accounts']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
