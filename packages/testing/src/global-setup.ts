import { migrate } from '@inbox/db';
import { TEMPLATE_DB, databaseUrl, withAdmin } from './databases.js';

/**
 * Jest globalSetup: brings the template database up to date with the real migrations. Test files
 * clone it (createTestDatabase), which takes milliseconds. Several jest runs may start at once
 * (turbo runs packages in parallel), so the work happens under a Postgres advisory lock, and the
 * template is migrated forward, never dropped, while others may be cloning it.
 */
export default async function globalSetup(): Promise<void> {
  await withAdmin(async (admin) => {
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [TEMPLATE_DB]);
    try {
      await dropOrphanedTestDatabases(admin);
      await migrate(databaseUrl(TEMPLATE_DB), () => {});
    } finally {
      await admin.query('SELECT pg_advisory_unlock(hashtext($1))', [TEMPLATE_DB]);
    }
  });
}

/** Test databases are named `inbox_test_<label>_<pid>_<hex>`; drop those whose process is gone. */
async function dropOrphanedTestDatabases(admin: import('pg').Client): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'inbox_test_%'`);
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
