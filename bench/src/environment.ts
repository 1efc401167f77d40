import { randomBytes } from 'node:crypto';
import { migrate } from '@inbox/db';
import { createTestRedisPrefix, databaseUrl, dropOrphanedDatabases, withAdmin } from '@inbox/testing';

export { freePort } from '@inbox/testing';

// Postgres and Redis are the test suite's (TEST_DATABASE_URL / TEST_REDIS_URL, default 127.0.0.1).

export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh `inbox_bench_<pid>_<random>` database with the real migrations applied. The pid in the
 * name lets a later run drop databases left by a bench that was killed.
 */
export async function createBenchDatabase(): Promise<BenchDatabase> {
  await withAdmin((admin) => dropOrphanedDatabases(admin, 'inbox_bench_'));
  const name = `inbox_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = databaseUrl(name);
  await migrate(url, () => {});
  return {
    name,
    url,
    drop: () => withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/** A Redis key prefix of this run's own: every BullMQ key of the run lives under it; cleanup() deletes them. */
export function createBenchRedisPrefix(): { url: string; prefix: string; cleanup: () => Promise<void> } {
  return createTestRedisPrefix('bench');
}

/**
 * The environment both apps run with: production mode, warn-level logs, local http receivers
 * allowed. Tuning variables the caller exported (INBOX_DISPATCHER_CONCURRENCY, DATABASE_POOL_SIZE, …)
 * pass through, so a setting can be compared by running the bench twice.
 */
export function appEnvironment(input: { databaseUrl: string; redisUrl: string; queuePrefix: string; apiPort: number; dispatcherPort: number }): Record<string, string> {
  const passThrough = Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => /^(INBOX_|DATABASE_POOL_SIZE$)/.test(entry[0]) && entry[1] !== undefined,
    ),
  );
  return {
    PATH: process.env.PATH ?? '',
    ...passThrough,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    INBOX_ALLOW_HTTP: 'true',
    INBOX_ALLOW_PRIVATE_URLS: 'true',
    INBOX_INTERNAL_TOKEN: `bench-${randomBytes(16).toString('hex')}`,
    INBOX_SECRET_KEY: randomBytes(32).toString('base64'),
    INBOX_QUEUE_PREFIX: input.queuePrefix,
    DATABASE_URL: input.databaseUrl,
    REDIS_URL: input.redisUrl,
    PORT: String(input.apiPort),
    DISPATCHER_PORT: String(input.dispatcherPort),
    // The API's: any free port (the harness gives the dispatcher's its own, to read its metrics).
    METRICS_PORT: '0',
  };
}
