import request from 'supertest';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import pg from 'pg';
import { DELIVERY_QUEUE, loadApiConfig, queuePrefix, type ApiConfig } from '@inbox/server';
import { createTestDatabase, createTestRedisPrefix, testEnv } from '@inbox/testing';
import { createApiApp } from '../../src/bootstrap.js';

export const INTERNAL_TOKEN = 'test-internal-token-0123456789';

/** The docs' register body, verbatim. */
export const DOCS_REGISTER_BODY = `{
    "url": "https://yourapp.com/webhooks/inbox",
    "events": ["message.delivered", "message.read", "message.failed"],
    "description": "Production webhook endpoint"
  }`;

export interface Harness {
  app: NestFastifyApplication;
  config: ApiConfig;
  http: () => ReturnType<typeof request>;
  /** Straight SQL on the file's own database, for counting rows and arranging state. */
  sql: pg.Pool;
  /** The delivery queue on the file's own Redis prefix. */
  queue: Queue;
  close: () => Promise<void>;
}

/**
 * Boots the real API on a database and Redis prefix of this test file's own (real Postgres, real
 * Redis), with test settings (http and private URLs allowed) unless overridden. `reachDatabase`
 * turns the database's URL into the one the app uses (e.g. through a TcpProxy); `sql` stays direct.
 */
export async function startApi(
  label: string,
  env: Record<string, string> = {},
  { reachDatabase = (url: string) => url }: { reachDatabase?: (url: string) => string } = {},
): Promise<Harness> {
  const db = await createTestDatabase(label);
  const redis = createTestRedisPrefix(label);
  const config = loadApiConfig(
    testEnv({ DATABASE_URL: reachDatabase(db.url), REDIS_URL: redis.url, INBOX_QUEUE_PREFIX: redis.prefix, INBOX_INTERNAL_TOKEN: INTERNAL_TOKEN, ...env }),
  );
  const app = await createApiApp(config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const sql = new pg.Pool({ connectionString: db.url, max: 2, application_name: HARNESS_SQL });
  // pool.end() resolves before its sockets close: the drop's "terminating connection" may still
  // reach one, and an 'error' with no listener would fail whichever test file runs next.
  sql.on('error', () => {});
  const queue = new Queue(DELIVERY_QUEUE, { connection: { url: redis.url }, prefix: queuePrefix(config) });
  return {
    app,
    config,
    http: () => request(app.getHttpServer()),
    sql,
    queue,
    close: async () => {
      await app.close();
      await queue.close();
      await waitForOtherSessionsToEnd(sql);
      await sql.end();
      await redis.cleanup();
      await db.drop();
    },
  };
}

/** The test's own connections, told apart from the app's. */
const HARNESS_SQL = 'inbox-test-harness';

/**
 * The app's pool may still be closing a connection when `close()` resolves (one that was stalled
 * mid-query, say): dropping the database WITH (FORCE) then kills it, and its 'error' surfaces in
 * whichever test file this worker runs next. Wait briefly for the app's sessions to end first.
 */
async function waitForOtherSessionsToEnd(sql: pg.Pool): Promise<void> {
  for (let waited = 0; waited < 5_000; waited += 100) {
    const { rows } = await sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name <> $1`,
      [HARNESS_SQL],
    );
    if (rows[0]!.n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface TestAccount {
  id: string;
  apiKey: string;
  auth: { Authorization: string };
}

export async function createAccount(h: Harness, name = 'Acme'): Promise<TestAccount> {
  const res = await h.http().post('/internal/v1/accounts').set('Authorization', `Bearer ${INTERNAL_TOKEN}`).send({ name }).expect(201);
  return { id: res.body.id, apiKey: res.body.api_key, auth: { Authorization: `Bearer ${res.body.api_key}` } };
}

export const internalAuth = { Authorization: `Bearer ${INTERNAL_TOKEN}` };

/** Registers a webhook for the account and returns the response body (with its secret). */
export async function createWebhook(
  h: Harness,
  account: TestAccount,
  body: Record<string, unknown> = { url: 'https://example.com/hook', events: ['message.delivered'] },
): Promise<{ id: string; secret: string; [k: string]: unknown }> {
  const res = await h.http().post('/v1/webhooks').set(account.auth).send(body).expect(201);
  return res.body;
}

/** Row counts of every table, to prove a request changed nothing. */
export async function rowCounts(h: Harness): Promise<Record<string, number>> {
  const { rows } = await h.sql.query<{ t: string; n: number }>(
    `SELECT 'accounts' AS t, count(*)::int AS n FROM accounts
     UNION ALL SELECT 'api_keys', count(*)::int FROM api_keys
     UNION ALL SELECT 'webhooks', count(*)::int FROM webhooks
     UNION ALL SELECT 'webhooks_live', count(*)::int FROM webhooks WHERE deleted_at IS NULL
     UNION ALL SELECT 'webhooks_updated', count(*)::int FROM webhooks WHERE updated_at <> created_at
     UNION ALL SELECT 'events', count(*)::int FROM events
     UNION ALL SELECT 'deliveries', count(*)::int FROM deliveries
     UNION ALL SELECT 'attempts', count(*)::int FROM attempts
     UNION ALL SELECT 'idempotency_keys', count(*)::int FROM idempotency_keys
     UNION ALL SELECT 'revoked_keys', count(*)::int FROM api_keys WHERE revoked_at IS NOT NULL`,
  );
  return Object.fromEntries(rows.map((r) => [r.t, r.n]));
}

/** An error body without its `request_id` (which names each request), to compare two answers. */
export function withoutRequestId(body: { error: Record<string, unknown> }): { error: Record<string, unknown> } {
  const { request_id: _requestId, ...error } = body.error;
  return { error };
}
