import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { RetentionRepository, type PurgedHistory } from '@inbox/db';
import { DISPATCHER_CONFIG, queuePrefix, REDIS, type DispatcherConfig } from '@inbox/server';

/** The cleanup runs at least this often, and at least four times per retention period. */
const MAX_INTERVAL_MS = 10 * 60_000;

/** How often the cleanup runs for a retention period: min(retention / 4, 10m). */
export function retentionInterval(retentionMs: number): number {
  return Math.max(250, Math.min(Math.floor(retentionMs / 4), MAX_INTERVAL_MS));
}

/**
 * Keeps history bounded (INBOX_RETENTION). Every min(retention / 4, 10m), one dispatcher replica (a
 * Redis lock, SET NX PX, as the reconciler takes) removes events accepted longer ago than the
 * retention period with their deliveries and attempts, webhooks soft-deleted longer ago, and expired
 * dashboard sessions — in bounded batches of short transactions, never one long lock. A tick stops
 * starting batches before its lock expires; the next tick carries on where it stopped.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('Retention');
  private readonly lockKey: string;
  private readonly owner = randomUUID();
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<PurgedHistory | undefined> | undefined;

  constructor(
    @Inject(DISPATCHER_CONFIG) private readonly config: DispatcherConfig,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly retention: RetentionRepository,
  ) {
    this.lockKey = `${queuePrefix(config)}:retention-lock`;
    this.intervalMs = retentionInterval(config.retentionMs);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One tick: clean up if this replica takes the lock. Returns what went, or undefined if it did not. */
  async tick(): Promise<PurgedHistory | undefined> {
    if (this.running) return undefined;
    this.running = this.purgeIfLeader()
      .catch((error: unknown) => {
        this.log.warn(`retention cleanup failed: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async purgeIfLeader(): Promise<PurgedHistory | undefined> {
    const ttl = Math.max(100, Math.floor(this.intervalMs * 0.9));
    const acquired = await this.redis.set(this.lockKey, this.owner, 'PX', ttl, 'NX');
    if (acquired !== 'OK') return undefined;
    // Stop starting batches well before the lock lapses, so two replicas rarely overlap.
    const stopAt = Date.now() + ttl * 0.8;
    const until = () => Date.now() >= stopAt;
    const before = new Date(Date.now() - this.config.retentionMs);
    const history = await this.retention.purgeEvents(before, until);
    const webhooks = until() ? 0 : await this.retention.purgeDeletedWebhooks(before, until);
    const sessions = until() ? 0 : await this.retention.purgeExpiredSessions(until);
    const purged = { ...history, webhooks, sessions };
    if (Object.values(purged).some((n) => n > 0)) {
      this.log.log(
        `removed ${purged.events} events, ${purged.deliveries} deliveries, ${purged.attempts} attempts and ${webhooks} deleted webhooks older than the retention period, and ${sessions} expired dashboard sessions`,
      );
    }
    return purged;
  }
}
