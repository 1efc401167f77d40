// `pnpm db:migrate` (node dist/migrate-cli.js): applies the migrations to DATABASE_URL, creating the
// database if missing. Its own entry point, so importing @inbox/db never runs anything.
import { migrate } from './migrate.js';

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/inbox';
migrate(url).catch((error: unknown) => {
  console.error(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
