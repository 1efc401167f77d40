import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { migrate } from './migrate.js';

const server = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const urlFor = (name: string) => Object.assign(new URL(server), { pathname: `/${name}` }).toString();

describe('migrate (real Postgres)', () => {
  const name = `inbox_test_migrate_${process.pid}_${randomBytes(4).toString('hex')}`;

  afterAll(async () => {
    const admin = new pg.Client({ connectionString: urlFor('postgres') });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  it('creates the database, applies every migration once, and is idempotent', async () => {
    const first = await migrate(urlFor(name), () => {});
    expect(first).toEqual(['InitialSchema1764000000000']);
    expect(await migrate(urlFor(name), () => {})).toEqual([]);

    const client = new pg.Client({ connectionString: urlFor(name) });
    await client.connect();
    const tables = await client.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
    const indexes = await client.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE schemaname = 'public'`);
    await client.end();
    expect(tables.rows.map((r) => r.tablename)).toEqual(
      ['accounts', 'api_keys', 'attempts', 'deliveries', 'events', 'idempotency_keys', 'migrations', 'webhooks'],
    );
    expect(indexes.rows.map((r) => r.indexname)).toEqual(
      expect.arrayContaining(['webhooks_account_idx', 'deliveries_pending_due_idx', 'attempts_webhook_idx', 'api_keys_hash_key']),
    );
  });
});
