import { SecretUnreadableError } from '../secret-box.js';

/** One batch of a re-seal scan (`pnpm db:reseal`). */
export interface ResealBatch<Cursor> {
  /** Where the next batch starts; null once the scan reached the end. */
  next: Cursor | null;
  /** Values now sealed under the current key. */
  resealed: number;
  /** Values no configured key opens: left as they are. */
  unreadable: number;
}

/**
 * Re-seals each row with `reseal`; rows no configured key opens are counted and skipped, so one
 * lost key never stops the rest of the scan. Any other error is a bug and propagates.
 */
export function resealEach<Row, Resealed>(rows: readonly Row[], reseal: (row: Row) => Resealed): { changed: Resealed[]; unreadable: number } {
  const changed: Resealed[] = [];
  let unreadable = 0;
  for (const row of rows) {
    try {
      changed.push(reseal(row));
    } catch (error) {
      if (!(error instanceof SecretUnreadableError)) throw error;
      unreadable += 1;
    }
  }
  return { changed, unreadable };
}
