import { createDataSource } from './data-source.js';

/** A migration may rewrite a large table: no statement limit, and room to connect to a busy server. */
const MIGRATION_TIMEOUTS = { connectMs: 10_000, statementMs: 0 };

/**
 * `pnpm db:migrate`: creates the database if it is missing, then applies pending migrations.
 * Run once per deploy (a Kubernetes Job), never at app start-up with several replicas.
 */
export async function migrate(url: string, log: (line: string) => void = console.log): Promise<string[]> {
  await ensureDatabase(url, log);
  const dataSource = createDataSource(url, 1, MIGRATION_TIMEOUTS);
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    for (const m of applied) log(`applied ${m.name}`);
    if (applied.length === 0) log('database is up to date');
    return applied.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}

async function ensureDatabase(url: string, log: (line: string) => void): Promise<void> {
  const { default: pg } = await import('pg');
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      log(`created database ${name}`);
    }
  } finally {
    await client.end();
  }
}
