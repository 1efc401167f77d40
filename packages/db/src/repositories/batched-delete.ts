import type { DataSource } from 'typeorm';

/**
 * Runs `sql` — a DELETE of at most `$1` rows (its other parameters after) — until it deletes fewer
 * than a whole batch or `until` says stop. Each statement is its own short transaction, so a large
 * backlog never holds locks for long. Returns how many rows went.
 */
export async function deleteInBatches(
  dataSource: DataSource,
  sql: string,
  params: readonly unknown[],
  batchSize: number,
  until: () => boolean = () => false,
): Promise<number> {
  let total = 0;
  for (;;) {
    const [, count]: [unknown[], number] = await dataSource.query(sql, [batchSize, ...params]);
    total += count;
    if (count < batchSize || until()) return total;
  }
}
