import type { Harness } from '../harness.js';
import { round } from '../stats.js';

/** The tables that grow with every event: the event, its deliveries, their attempts, and keys of idempotent requests. */
export const PER_EVENT_TABLES = ['events', 'deliveries', 'attempts', 'idempotency_keys'] as const;

export interface TableBytes {
  table: string;
  rows: number;
  /** pg_table_size (heap, TOAST, free space and visibility maps) and pg_indexes_size, per stored event. */
  tableBytesPerEvent: number;
  indexBytesPerEvent: number;
}

export interface StorageResult {
  /** `SELECT count(*) FROM events` when measured. */
  events: number;
  /** Every table of PER_EVENT_TABLES, table + indexes, divided by `events`. */
  bytesPerEvent: number;
  tables: TableBytes[];
}

/**
 * Postgres bytes per stored event, as the tables stand after the phases before it (no VACUUM: dead
 * row versions left by the deliveries' updates count, as they do in production between vacuums).
 */
export async function runStorage(h: Harness): Promise<StorageResult> {
  const events = Number((await h.db.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]!.n);
  if (events === 0) throw new Error('no events stored: run storage after a phase that ingests (throughput, batch, latency, memory)');
  const tables: TableBytes[] = [];
  for (const table of PER_EVENT_TABLES) {
    const { rows } = await h.db.query<{ rows: string; table_bytes: string; index_bytes: string }>(
      `SELECT (SELECT count(*) FROM ${table}) AS rows, pg_table_size($1::regclass) AS table_bytes, pg_indexes_size($1::regclass) AS index_bytes`,
      [table],
    );
    const row = rows[0]!;
    tables.push({ table, rows: Number(row.rows), tableBytesPerEvent: round(Number(row.table_bytes) / events), indexBytesPerEvent: round(Number(row.index_bytes) / events) });
  }
  return { events, bytesPerEvent: round(tables.reduce((sum, t) => sum + t.tableBytesPerEvent + t.indexBytesPerEvent, 0)), tables };
}
