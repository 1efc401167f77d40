// Shared with the API's ingest micro-batching; same names, same values.
export { BATCH_WINDOW_MS, MAX_BATCH, batchScheduleFn } from '@inbox/server';
