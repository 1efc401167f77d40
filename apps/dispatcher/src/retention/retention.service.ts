import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { RetentionRepository, type PurgedHistory } from '@inbox/db';
import { DISPATCHER_CONFIG, queuePrefix, REDIS, type DispatcherConfig, type RedisClient } from '@inbox/server';
import { LeaderTicker } from '../leadership/leader-ticker.js';

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
  private readonly ticker: LeaderTicker<PurgedHistory>;

  constructor(
    @Inject(DISPATCHER_CONFIG) private readonly config: DispatcherConfig,
    @Inject(REDIS) redis: RedisClient,
    private readonly retention: RetentionRepository,
  ) {
    this.ticker = new LeaderTicker({
      redis,
      lockKey: `${queuePrefix(config)}:retention-lock`,
      intervalMs: retentionInterval(config.retentionMs),
      log: this.log,
      what: 'retention cleanup',
      work: (lockMs) => this.purge(lockMs),
    });
  }

  onApplicationBootstrap(): void {
    this.ticker.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.ticker.stop();
  }

  /** One tick: clean up if this replica takes the lock. Returns what went, or undefined if it did not. */
  tick(): Promise<PurgedHistory | undefined> {
    return this.ticker.tick();
  }

  private async purge(lockMs: number): Promise<PurgedHistory> {
    // Stop starting batches well before the lock lapses, so two replicas rarely overlap.
    const stopAt = Date.now() + lockMs * 0.8;
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
