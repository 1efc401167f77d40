import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { DeliveriesRepository, type OverdueDelivery } from '@inbox/db';
import { DELIVERY_QUEUE, deliverJob, DISPATCHER_CONFIG, FairShare, queuePrefix, REDIS, ThrottledWarning, type DispatcherConfig, type RedisClient } from '@inbox/server';
import { DisableAnnouncer } from '../delivery/disable-announcer.js';
import { LeaderTicker } from '../leadership/leader-ticker.js';
import { DispatcherMetrics } from '../metrics/dispatcher-metrics.js';

/** Rows read per query, and per tick at most: a huge backlog is walked over several ticks. */
const PAGE_SIZE = 500;
const MAX_SCANNED_PER_TICK = 5_000;
/** Jobs re-enqueued per tick at most, so a recovery never floods the queue in one go. */
const MAX_ENQUEUED_PER_TICK = 2_000;

/** Job states in which a job will still run (so its delivery is not lost). */
const LIVE_STATES = new Set<string>(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

/**
 * Brings back lost work. Every `INBOX_RECONCILE_INTERVAL`, one dispatcher replica (a Redis lock,
 * SET NX PX, taken per tick) scans `pending` deliveries overdue by more than `INBOX_RECONCILE_GRACE`
 * and enqueues again those with no job in the queue: a crash between ingest's commit and its
 * enqueue, a job dropped after too many stalls, or a Redis that lost everything. Job id = delivery
 * id, so a job enqueued meanwhile by someone else is not doubled. It also stores the
 * `webhook.disabled` events of auto-disables that a stopped dispatcher left unannounced.
 *
 * A timer plus a lock rather than a BullMQ job scheduler on purpose: the scheduler lives in Redis
 * and would be lost with the very data this must rebuild.
 */
@Injectable()
export class ReconcilerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('Reconciler');
  private readonly queueErrors = new ThrottledWarning((m) => this.log.warn(m));
  private readonly ticker: LeaderTicker<number>;
  /** Where the previous tick's scan stopped, when it stopped early. */
  private cursor: OverdueDelivery | undefined;

  constructor(
    @Inject(DISPATCHER_CONFIG) private readonly config: DispatcherConfig,
    @Inject(REDIS) private readonly redis: RedisClient,
    @InjectQueue(DELIVERY_QUEUE) private readonly queue: Queue,
    private readonly deliveries: DeliveriesRepository,
    private readonly metrics: DispatcherMetrics,
    private readonly announcer: DisableAnnouncer,
    private readonly fair: FairShare,
  ) {
    this.ticker = new LeaderTicker({
      redis,
      lockKey: `${queuePrefix(config)}:reconcile-lock`,
      intervalMs: config.reconcileIntervalMs,
      log: this.log,
      what: 'reconcile',
      work: () => this.reconcileAsLeader(),
    });
    // The queue's connection reports every failed reconnect while Redis is away; unheard, each would be printed.
    queue.on('error', (error: Error) => this.queueErrors.warn(`delivery queue: ${error.message}`));
  }

  onApplicationBootstrap(): void {
    this.ticker.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.ticker.stop();
  }

  /** One tick: reconcile if this replica takes the lock. Returns how many jobs it enqueued. */
  async tick(): Promise<number> {
    return (await this.ticker.tick()) ?? 0;
  }

  private async reconcileAsLeader(): Promise<number> {
    // Disables whose webhook.disabled event a stopped dispatcher never stored: stored and queued now.
    await this.announcer.sweep();
    return this.reconcile();
  }

  /** Enqueues again overdue pending deliveries that have no job. Returns how many. */
  async reconcile(): Promise<number> {
    const dueBefore = new Date(Date.now() - this.config.reconcileGraceMs);
    let scanned = 0;
    let enqueued = 0;
    while (scanned < MAX_SCANNED_PER_TICK && enqueued < MAX_ENQUEUED_PER_TICK) {
      const page = await this.deliveries.listOverduePending(dueBefore, PAGE_SIZE, this.cursor);
      scanned += page.length;
      const missing = await this.withoutJob(page);
      const room = MAX_ENQUEUED_PER_TICK - enqueued;
      const batch = missing.slice(0, room);
      if (batch.length > 0) {
        const priorities = await this.fair.placesFor(batch.map((d) => d.accountId));
        await this.queue.addBulk(batch.map((d, i) => deliverJob({ deliveryId: d.id, webhookId: d.webhookId, fair: { accountId: d.accountId, priority: priorities[i]! } })));
        enqueued += batch.length;
      }
      // Resume after the last row handled; start over once the scan reached the end.
      this.cursor = missing.length > room ? batch.at(-1) : page.length === PAGE_SIZE ? page.at(-1) : undefined;
      if (!this.cursor) break;
    }
    if (enqueued > 0) {
      this.metrics.reconciled.inc(enqueued);
      this.log.log(`re-enqueued ${enqueued} pending deliveries that had no job`);
    }
    return enqueued;
  }

  /**
   * The deliveries with no live job. What is left of a dead one is removed first, or BullMQ would
   * deduplicate the new job against it: a finished job that was not removed at once (its remove
   * options lost), or a job hash without a state, half-written by a worker while Redis was wiped.
   */
  private async withoutJob(page: OverdueDelivery[]): Promise<OverdueDelivery[]> {
    const states = await Promise.all(page.map((d) => this.queue.getJobState(d.id)));
    const dead = page.filter((_, i) => !LIVE_STATES.has(states[i]!));
    await Promise.all(dead.map((d) => this.queue.remove(d.id).catch(() => 0)));
    return dead;
  }
}
