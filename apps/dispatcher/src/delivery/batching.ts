/**
 * The dispatcher's micro-batches: one running at a time, the next one collecting meanwhile (see
 * `microBatcher`). Its loads and writes come from up to `INBOX_DISPATCHER_CONCURRENCY` jobs at
 * once; one batch in flight keeps them large under load, and a quiet dispatcher adds no window.
 */
export const DISPATCHER_BATCHING = { maxInFlight: 1 } as const;
