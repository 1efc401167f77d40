import type { INestApplication } from '@nestjs/common';
import { AttemptsRepository, EventsRepository, IdempotencyRepository, newId, type AccountId, type EventId, type WebhookId } from '@inbox/db';
import { startReceiver, type Receiver } from '@inbox/testing';
import { retentionInterval } from '../src/retention/retention.service.js';
import { waitFor } from './support/wait.js';
import { createTestWorld, startDispatcher, type TestWorld } from './support/world.js';

const RETENTION = '3s';

/**
 * INBOX_RETENTION of seconds: what is older than it goes (counted from when the event was accepted),
 * in batches, on its own; what is newer stays.
 */
describe('retention: history older than INBOX_RETENTION is removed', () => {
  let world: TestWorld;
  let app: INestApplication;
  let receiver: Receiver;
  let account: AccountId;
  let webhookId: string;

  beforeAll(async () => {
    world = await createTestWorld('dispatch_retention', { INBOX_RETENTION: RETENTION });
    receiver = await startReceiver();
    app = await startDispatcher(world);
    account = await world.fixtures.account();
    webhookId = (await world.fixtures.webhook(account, `${receiver.url}/hook`)).id;
  });

  afterAll(async () => {
    await app?.close();
    await receiver?.close();
    await world?.close();
  });

  const db = () => world.fixtures.db;
  const count = async (sql: string, params: unknown[]) => Number((await db().query(`SELECT count(*) AS n FROM ${sql}`, params))[0].n);

  it('runs at least every min(retention / 4, 10m)', () => {
    expect(retentionInterval(3_000)).toBe(750);
    expect(retentionInterval(30 * 86_400_000)).toBe(600_000);
  });

  it('removes events accepted before the retention period with their deliveries and attempts, and nothing newer', async () => {
    // Delivered (so with attempts), then aged: accepted an hour ago, though created "now" by its sender.
    const old = await world.fixtures.ingest(account, { type: 'message.delivered', data: { n: 'old' } });
    // Created by its sender long ago, but accepted just now: kept.
    const fresh = await world.fixtures.ingest(account, { type: 'message.read', created_at: '2020-01-01T00:00:00Z', data: { n: 'fresh' } });
    await world.enqueue([...old.deliveryIds, ...fresh.deliveryIds]);
    await waitFor('both delivered', async () => (await world.fixtures.attempts(old.deliveryIds[0]!)).length > 0 && (await world.fixtures.attempts(fresh.deliveryIds[0]!)).length > 0);
    await db().query(`UPDATE events SET received_at = now() - interval '1 hour', created_at = now() WHERE id = $1`, [old.eventId]);

    const events = app.get(EventsRepository);
    const attempts = app.get(AttemptsRepository);
    await waitFor('the old event to go', async () => (await events.findWithDeliveries(account, old.eventId as EventId)) === null, { timeoutMs: 5_000 });
    expect(await count(`deliveries WHERE event_id = $1`, [old.eventId])).toBe(0);
    expect(await count(`attempts WHERE event_id = $1`, [old.eventId])).toBe(0);
    expect(await attempts.listForEvent(account, old.eventId as EventId)).toEqual([]);
    const logs = await attempts.listForWebhook(account, webhookId as WebhookId, {}, { limit: 100 });
    expect(logs.map((a) => a.eventId)).toEqual([fresh.eventId]);

    expect(await events.findWithDeliveries(account, fresh.eventId as EventId)).not.toBeNull();
    expect(await attempts.listForEvent(account, fresh.eventId as EventId)).toHaveLength(1);
  });

  it('purges webhooks soft-deleted before the retention period and expired dashboard sessions', async () => {
    const gone = (await world.fixtures.webhook(account, `${receiver.url}/gone`)).id;
    const recent = (await world.fixtures.webhook(account, `${receiver.url}/recent`)).id;
    await db().query(`UPDATE webhooks SET deleted_at = now() - interval '1 hour' WHERE id = $1`, [gone]);
    await db().query(`UPDATE webhooks SET deleted_at = now() WHERE id = $1`, [recent]);
    const keyId = newId('apiKey');
    await db().query(`INSERT INTO api_keys (id, account_id, key_hash, prefix) VALUES ($1, $2, $3, 'ik_')`, [keyId, account, `hash-${keyId}`]);
    const session = (hash: string, expires: string) =>
      db().query(`INSERT INTO dashboard_sessions (token_hash, account_id, api_key_id, created_at, expires_at) VALUES ($1, $2, $3, now() - interval '2 hours', now() + $4::interval)`, [hash, account, keyId, expires]);
    await session('expired', '-1 hour');
    await session('live', '1 hour');

    await waitFor('the old deleted webhook and the expired session to go', async () =>
      (await count(`webhooks WHERE id = $1`, [gone])) === 0 && (await count(`dashboard_sessions WHERE token_hash = 'expired'`, [])) === 0, { timeoutMs: 5_000 });
    expect(await count(`webhooks WHERE id = $1`, [recent])).toBe(1);
    expect(await count(`dashboard_sessions WHERE token_hash = 'live'`, [])).toBe(1);
  });

  it('cleans expired idempotency keys in batches, leaving live ones', async () => {
    await db().query(
      `INSERT INTO idempotency_keys (account_id, key, request_hash, status_code, response_body, created_at)
       SELECT $1, 'old-' || n, 'h', 202, 'null'::jsonb, now() - interval '25 hours' FROM generate_series(1, 7) n
       UNION ALL SELECT $1, 'live', 'h', 202, 'null'::jsonb, now()`,
      [account],
    );
    const store = app.get(IdempotencyRepository);
    // Batches of 3: three bounded DELETEs (3 + 3 + 1).
    type Query = (sql: string, params?: unknown[]) => Promise<unknown>;
    const dataSource = (store as unknown as { dataSource: { query: Query } }).dataSource;
    const query = dataSource.query;
    const statements: string[] = [];
    dataSource.query = (sql, params) => (statements.push(sql), query.call(dataSource, sql, params));
    try {
      expect(await store.purgeExpired(3)).toBe(7);
    } finally {
      dataSource.query = query;
    }
    expect(statements.filter((sql) => sql.includes('DELETE FROM idempotency_keys'))).toHaveLength(3);
    expect(await count(`idempotency_keys WHERE account_id = $1`, [account])).toBe(1);
  });
});
