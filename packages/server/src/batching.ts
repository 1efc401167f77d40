import DataLoader from 'dataloader';

/** Most keys one batch takes (one statement's worth of rows). */
const MAX_BATCH = 500;

/** Batches of one micro-batcher running at once; further batches wait and grow meanwhile. */
const MAX_BATCHES_IN_FLIGHT = 2;

/**
 * Loads waiting for a batch beyond which new ones are refused: a few batches' worth, far above
 * what a healthy database leaves waiting, so only a slow or absent one reaches it, and then the
 * waiting line (each load holds a request or a job) stops growing.
 */
const MAX_WAITING = 2_000;

/** A load refused because `maxWaiting` loads are already waiting for their batch. */
export class OverloadedError extends Error {
  override readonly name = 'OverloadedError';

  constructor(readonly waiting: number) {
    super(`overloaded: ${waiting} loads already waiting for a batch`);
  }
}

/** What callers of a micro-batcher use: one key in, its own result (or error) out. */
export interface MicroBatcher<K, V> {
  load(key: K): Promise<V>;
}

/**
 * A DataLoader for micro-batching (no cache): the loads and writes of concurrent requests or jobs
 * become one query per batch.
 *
 * Batching adapts to load, like Postgres' group commit: while fewer than `maxInFlight` batches are
 * running, a batch goes out at the end of the current event-loop turn (no added latency when the
 * system is quiet); when that many are running, the next batch keeps collecting until one of them
 * finishes, so under load batches grow instead of queries multiplying. (A fixed 2 ms window added
 * 2–3 ms to every request when idle.)
 *
 * The line is bounded: with `maxWaiting` loads waiting, `load` rejects at once with an
 * OverloadedError (callers answer 503 or retry later) instead of queueing without end.
 */
export function microBatcher<K, V>(
  batch: (keys: readonly K[]) => Promise<ReadonlyArray<V | Error>>,
  options: { maxInFlight?: number; maxWaiting?: number } = {},
): MicroBatcher<K, V> {
  const maxInFlight = options.maxInFlight ?? MAX_BATCHES_IN_FLIGHT;
  const maxWaiting = options.maxWaiting ?? MAX_WAITING;
  /** Loads not yet handed to `batch`. */
  let waitingLoads = 0;
  let inFlight = 0;
  const waiting: Array<() => void> = [];
  const release = (): void => {
    inFlight--;
    const next = waiting.shift();
    if (next) {
      inFlight++;
      next();
    }
  };
  const loader = new DataLoader<K, V>(
    async (keys) => {
      waitingLoads -= keys.length;
      try {
        return await batch(keys);
      } finally {
        release();
      }
    },
    {
      cache: false,
      maxBatchSize: MAX_BATCH,
      batchScheduleFn: (dispatch) => {
        // Counted from when it is scheduled, so batches scheduled in one turn respect the cap too.
        if (inFlight < maxInFlight) {
          inFlight++;
          setImmediate(dispatch);
        } else {
          waiting.push(dispatch);
        }
      },
    },
  );
  return {
    load(key) {
      if (waitingLoads >= maxWaiting) return Promise.reject(new OverloadedError(waitingLoads));
      waitingLoads++;
      return loader.load(key);
    },
  };
}
