import { migrate } from '@inbox/db';
import { TEMPLATE_DB, databaseUrl, dropOrphanedDatabases, withAdmin } from './databases.js';

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
      await dropOrphanedDatabases(admin, 'inbox_test_');
      await migrate(databaseUrl(TEMPLATE_DB), () => {});
    } finally {
      await admin.query('SELECT pg_advisory_unlock(hashtext($1))', [TEMPLATE_DB]);
    }
  });
}
