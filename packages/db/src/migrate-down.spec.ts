import pg from 'pg';
import { scratchDatabase } from '../test/support/scratch-database.js';
import { createDataSource } from './data-source.js';
import { migrate } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';

/** Every table's columns and every constraint and index, as text: what "the schema" is here. */
async function schemaOf(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ line: string }>(
      `SELECT format('%s.%s %s %s %s', table_name, column_name, data_type, is_nullable, column_default) AS line
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'migrations'
       UNION ALL SELECT format('%s %s', conname, pg_get_constraintdef(oid)) FROM pg_constraint
         WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> 'migrations'
       UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'migrations'
       ORDER BY 1`,
    );
    return rows.map((r) => r.line).join('\n');
  } finally {
    await client.end();
  }
}

/** Migrations are reversible: undoing each in turn changes the schema and finally leaves nothing, and applying them again builds the same schema. */
describe('migrations down (real Postgres)', () => {
  const db = scratchDatabase('migrate_down');
  afterAll(() => db.drop());

  it('undoes every migration, newest first, then builds the same schema again', async () => {
    await migrate(db.url, () => {});
    const built = await schemaOf(db.url);
    const dataSource = createDataSource(db.url, 1);
    await dataSource.initialize();
    const afterEachUndo: string[] = [];
    try {
      for (let i = 0; i < MIGRATIONS.length; i++) {
        await dataSource.undoLastMigration({ transaction: 'each' });
        afterEachUndo.push(await schemaOf(db.url));
      }
    } finally {
      await dataSource.destroy();
    }
    // Each down changed something, and the last left nothing.
    afterEachUndo.forEach((after, i) => expect(after).not.toBe(i === 0 ? built : afterEachUndo[i - 1]));
    expect(afterEachUndo.at(-1)).toBe('');
    expect(await migrate(db.url, () => {})).toEqual(MIGRATIONS.map((M) => new M().name));
    expect(await schemaOf(db.url)).toBe(built);
  });
});
