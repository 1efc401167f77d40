import pg from 'pg';
import { scratchDatabase } from '../test/support/scratch-database.js';
import { migrate } from './migrate.js';

/**
 * The migrations are the one schema (there are no entities): this pins what they build — every
 * column with its type, nullability and default, every constraint and every index — so a schema
 * change is a reviewed change to the snapshot beside this file, and the row types in
 * repositories/ are read against it. Update with `pnpm --filter @inbox/db test -u` after a new
 * migration.
 */
describe('schema built by the migrations (real Postgres)', () => {
  const db = scratchDatabase('schema');
  const client = new pg.Client({ connectionString: db.url });

  beforeAll(async () => {
    await migrate(db.url, () => {});
    await client.connect();
  });

  afterAll(async () => {
    await client.end();
    await db.drop();
  });

  it('matches the reviewed snapshot', async () => {
    const columns = await client.query<{ line: string }>(
      `SELECT format('%s.%s %s%s%s', table_name, column_name,
                     CASE WHEN data_type = 'ARRAY' THEN udt_name ELSE data_type END,
                     CASE WHEN is_nullable = 'NO' THEN ' not null' ELSE '' END,
                     COALESCE(' default ' || column_default, '')) AS line
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'migrations'
        ORDER BY table_name, ordinal_position`,
    );
    const constraints = await client.query<{ line: string }>(
      `SELECT format('%s %s: %s', conrelid::regclass, conname, pg_get_constraintdef(oid)) AS line
         FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> 'migrations'
        ORDER BY conrelid::regclass::text, conname`,
    );
    const indexes = await client.query<{ line: string }>(
      `SELECT indexdef AS line FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'migrations' ORDER BY tablename, indexname`,
    );
    const text = (rows: Array<{ line: string }>) => rows.map((r) => r.line).join('\n');
    expect(`${text(columns.rows)}\n\n${text(constraints.rows)}\n\n${text(indexes.rows)}\n`).toMatchSnapshot();
  });
});
