import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Where tests find Postgres. Override with TEST_DATABASE_URL (a server URL; the db name is replaced). */
export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEMPLATE_DB = 'inbox_test_template';

export function databaseUrl(name: string): string {
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl('postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database cloned from the migrated template (see global-setup), so each test file
 * runs against the real schema without seeing any other file's rows. Returns its URL and a drop().
 */
export async function createTestDatabase(label = 't'): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const safe = label.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 30);
  const name = `inbox_test_${safe}_${process.pid}_${randomBytes(4).toString('hex')}`;
  // CREATE DATABASE ... TEMPLATE fails if another session is connected to the template; retry briefly.
  for (let attempt = 0; ; attempt++) {
    try {
      await withAdmin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${TEMPLATE_DB}"`));
      break;
    } catch (error) {
      if (attempt >= 20 || !/being accessed by other users/.test(String(error))) throw error;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  return {
    url: databaseUrl(name),
    name,
    drop: () => withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/**
 * Drops databases named `<prefix><…>_<pid>_<8 hex>` whose process is gone and that are over 15
 * minutes old: leftovers of test or bench runs that were killed before their cleanup. The age
 * guard keeps a run in another PID namespace (a pid we cannot see) from dropping a live database.
 */
export async function dropOrphanedDatabases(admin: pg.Client, prefix: string): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(
    `SELECT datname FROM pg_database
      WHERE starts_with(datname, $1)
        AND (pg_stat_file('base/' || oid || '/PG_VERSION')).modification < now() - interval '15 minutes'`,
    [prefix],
  );
  for (const { datname } of rows) {
    const pid = Number(/_(\d+)_[0-9a-f]{8}$/.exec(datname)?.[1]);
    if (!pid || isAlive(pid)) continue;
    await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => undefined);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
