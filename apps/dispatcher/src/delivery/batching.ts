/**
 * How long loads and writes from concurrent jobs are gathered before one query serves them all.
 * A couple of milliseconds turns hundreds of jobs in flight into a few queries per batch.
 */
export const BATCH_WINDOW_MS = 2;
export const MAX_BATCH = 500;

export const batchScheduleFn = (run: () => void): void => void setTimeout(run, BATCH_WINDOW_MS);
