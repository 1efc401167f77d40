import type { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { RedisClient } from '@inbox/server';

/**
 * Periodic work that one dispatcher replica does at a time: every `intervalMs`, the replica that
 * takes a Redis lock (SET NX PX, held for most of an interval so the others skip this tick and the
 * next tick is open to all) runs `work`; a tick still running is never started twice in a replica.
 * The reconciler and the retention cleanup share it.
 */
export class LeaderTicker<T> {
  private readonly owner = randomUUID();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<T | undefined> | undefined;

  constructor(
    private readonly options: {
      redis: RedisClient;
      lockKey: string;
      intervalMs: number;
      log: Logger;
      /** Names the work in the warning a failed tick logs ("reconcile failed: …"). */
      what: string;
      /** What this replica does with the lock; `lockMs` is how long it holds it. */
      work: (lockMs: number) => Promise<T>;
    },
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs);
    this.timer.unref();
  }

  /** Stops ticking and waits for the tick under way. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One tick: the work's result if this replica took the lock, else undefined (also on failure, logged). */
  tick(): Promise<T | undefined> {
    if (this.running) return Promise.resolve(undefined);
    this.running = this.runIfLeader()
      .catch((error: unknown) => {
        this.options.log.warn(`${this.options.what} failed: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async runIfLeader(): Promise<T | undefined> {
    const { redis, lockKey, intervalMs, work } = this.options;
    const lockMs = Math.max(100, Math.floor(intervalMs * 0.9));
    const acquired = await redis.set(lockKey, this.owner, 'PX', lockMs, 'NX');
    return acquired === 'OK' ? work(lockMs) : undefined;
  }
}
