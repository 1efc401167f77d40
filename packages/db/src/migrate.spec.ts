import pg from 'pg';
import { scratchDatabase } from '../test/support/scratch-database.js';
import { migrate } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';

describe('migrate (real Postgres)', () => {
  const db = scratchDatabase('migrate');
  afterAll(() => db.drop());

  it('creates the database, applies every migration once, and is idempotent', async () => {
    const first = await migrate(db.url, () => {});
    expect(first).toEqual(MIGRATIONS.map((M) => new M().name));
    expect(await migrate(db.url, () => {})).toEqual([]);

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const tables = await client.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
    const indexes = await client.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE schemaname = 'public'`);
    await client.end();
    expect(tables.rows.map((r) => r.tablename)).toEqual(
      ['accounts', 'api_keys', 'attempts', 'dashboard_sessions', 'deliveries', 'events', 'idempotency_keys', 'migrations', 'webhooks'],
    );
    expect(indexes.rows.map((r) => r.indexname)).toEqual(
      expect.arrayContaining(['webhooks_account_idx', 'deliveries_pending_due_idx', 'attempts_webhook_idx', 'api_keys_hash_key']),
    );
  });
});
