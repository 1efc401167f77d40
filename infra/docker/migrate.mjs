// Applies pending database migrations, then exits: the `migrate` compose service and the
// Kubernetes migration Job run it once per deploy, never the apps at start-up.
// It imports @inbox/db instead of running node_modules/@inbox/db/dist/migrate.js directly: that
// file only runs when it is the entry point, which it no longer is once pnpm symlinks resolve.
import { migrate } from '@inbox/db';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('migration failed: DATABASE_URL is required');
  process.exit(1);
}
try {
  await migrate(url);
} catch (error) {
  console.error(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
