import 'reflect-metadata';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations/index.js';

/** How long Postgres may take, per pool. 0 for a statement means no limit (as Postgres reads it). */
export interface DatabaseTimeouts {
  /** Opening a connection, or waiting for a free one in the pool (DATABASE_CONNECT_TIMEOUT). */
  connectMs: number;
  /** One statement (DATABASE_STATEMENT_TIMEOUT). */
  statementMs: number;
  /**
   * Send the server-side timeouts as startup parameters (the default). False behind a transaction
   * pooler (DATABASE_POOLER=pgbouncer), which rejects unknown startup parameters: the server-side
   * bounds then come from the role (`ALTER ROLE … SET statement_timeout`, infra/README.md) and the
   * client-side `query_timeout` still applies.
   */
  startupParameters?: boolean;
}

/**
 * The apps' bounds (the defaults of DATABASE_CONNECT_TIMEOUT and DATABASE_STATEMENT_TIMEOUT).
 * Connect: 2 s, so a Postgres that does not answer (stopped host, dropped packets, a pool with no
 * free connection) is a 503 after about 2 s instead of a hang; a healthy connect, TLS included,
 * takes milliseconds. Statement: 5 s, far above any statement the apps make (indexed lookups and
 * batches of at most 500 rows take milliseconds), so it cuts only what is stuck behind a lock or
 * an overloaded server, before the caller itself gives up.
 */
export const APP_DATABASE_TIMEOUTS: DatabaseTimeouts = { connectMs: 2_000, statementMs: 5_000 };

/**
 * A transaction open and idle this long means its client hung between statements (our
 * transactions never wait on anything else): Postgres ends that session so its locks go.
 */
const IDLE_IN_TRANSACTION_MS = 10_000;

/**
 * The client gives up on a statement this long after Postgres should have cancelled it: a link
 * that stalled (where the server's own timeout can neither fire for us nor reach us) ends in an
 * error, not a hang.
 */
const CLIENT_GRACE_MS = 1_000;

/** pg's pool and connection settings for these bounds. */
function poolOptions({ connectMs, statementMs, startupParameters = true }: DatabaseTimeouts): Record<string, number> {
  if (statementMs <= 0) return { connectionTimeoutMillis: connectMs };
  const client = { connectionTimeoutMillis: connectMs, query_timeout: statementMs + CLIENT_GRACE_MS };
  if (!startupParameters) return client;
  // Server side, sent as startup parameters (behind PgBouncer: see infra/README.md).
  return { ...client, statement_timeout: statementMs, idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_MS };
}

/**
 * Options shared by the apps (via @nestjs/typeorm), the migrate command and tests. The migrations are
 * the one schema: no entities (repositories speak SQL, with row types beside them), never synchronize.
 */
export function dataSourceOptions(url: string, poolSize = 10, timeouts: DatabaseTimeouts = APP_DATABASE_TIMEOUTS): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [],
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    extra: { max: poolSize, ...poolOptions(timeouts) },
  };
}

export function createDataSource(url: string, poolSize?: number, timeouts?: DatabaseTimeouts): DataSource {
  return new DataSource(dataSourceOptions(url, poolSize, timeouts));
}
