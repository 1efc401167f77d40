/**
 * Micro-batching for DataLoader (`batchScheduleFn`): loads and writes from concurrent requests or
 * jobs are gathered for a couple of milliseconds, then one query serves them all. Hundreds in
 * flight become a few queries per batch; a lone caller waits at most the window.
 */
export const BATCH_WINDOW_MS = 2;
export const MAX_BATCH = 500;

export const batchScheduleFn = (run: () => void): void => void setTimeout(run, BATCH_WINDOW_MS);
