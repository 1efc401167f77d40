import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { EventsRepository, newId, WebhooksRepository, type AccountId, type DisabledWebhook, type NewEvent } from '@inbox/db';
import type { EventData } from '@inbox/events';
import { deliverJob, DELIVERY_QUEUE, DISPATCHER_CONFIG, FairShare, nowTimestamp, REDIS, serializeEvent, ThrottledWarning, withinRedisWait, type DispatcherConfig, type RedisClient } from '@inbox/server';
import { DispatcherMetrics } from '../metrics/dispatcher-metrics.js';

const WEBHOOK_DISABLED = 'webhook.disabled';
/** Unannounced disables the reconciler's sweep takes per tick. */
const SWEEP_LIMIT = 100;

/**
 * Tells an account that the platform disabled one of its webhooks: a `webhook.disabled` event,
 * stored like any other (its body serialized once) with one pending delivery per OTHER enabled
 * webhook of the account subscribed to it, then queued. The disable itself committed with the
 * attempts that caused it, flagged `disabled_notice_pending`; the flag is cleared once the event is
 * stored, so a dispatcher that stops in between leaves it to the reconciler's `sweep`.
 */
@Injectable()
export class DisableAnnouncer implements OnModuleDestroy {
  private readonly log = new Logger('DisableAnnouncer');
  private readonly notEnqueued = new ThrottledWarning((m) => this.log.warn(m));
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    @Inject(DISPATCHER_CONFIG) private readonly config: DispatcherConfig,
    @Inject(REDIS) private readonly redis: RedisClient,
    @InjectQueue(DELIVERY_QUEUE) private readonly queue: Queue,
    private readonly webhooks: WebhooksRepository,
    private readonly events: EventsRepository,
    private readonly metrics: DispatcherMetrics,
    private readonly fair: FairShare,
  ) {}

  /** Announces webhooks just disabled, in the background: the jobs whose attempts disabled them need not wait. */
  announceSoon(disables: readonly DisabledWebhook[]): void {
    if (disables.length === 0) return;
    for (const d of disables) {
      this.metrics.webhooksDisabled.inc({ reason: d.reason });
      this.log.log(`webhook ${d.webhookId} of ${d.accountId} disabled (${d.reason})`);
    }
    const work = this.announce(disables).catch((error: unknown) =>
      this.log.warn(`webhook.disabled events not stored yet, the reconciler will: ${error instanceof Error ? error.message : String(error)}`),
    );
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  /** The reconciler's part: announces disables older than the reconcile grace whose event is still not stored. Returns how many. */
  async sweep(): Promise<number> {
    const disables = await this.webhooks.listUnannouncedDisables(new Date(Date.now() - this.config.reconcileGraceMs), SWEEP_LIMIT);
    if (disables.length > 0) {
      await this.announce(disables);
      this.log.log(`stored ${disables.length} webhook.disabled events left unannounced`);
    }
    return disables.length;
  }

  /** Waits for announcements under way, so shutting down does not cut one between its writes. */
  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.inFlight);
  }

  private async announce(disables: readonly DisabledWebhook[]): Promise<void> {
    const { targets } = await this.webhooks.findDeliveryTargets([...new Set(disables.map((d) => d.accountId))]);
    const events: NewEvent[] = disables.map((d) => {
      const id = newId('event');
      const data: EventData<typeof WEBHOOK_DISABLED> = {
        webhook_id: d.webhookId,
        url: d.url,
        reason: d.reason,
        disabled_at: d.disabledAt.toISOString(),
      };
      const createdAt = nowTimestamp(d.disabledAt);
      const subscribers = targets.filter((t) => t.accountId === d.accountId && t.webhookId !== d.webhookId && t.events.includes(WEBHOOK_DISABLED));
      return {
        id,
        accountId: d.accountId,
        type: WEBHOOK_DISABLED,
        createdAt,
        body: serializeEvent({ id, type: WEBHOOK_DISABLED, created_at: createdAt, data }),
        deliveries: subscribers.map((t) => ({ id: newId('delivery'), webhookId: t.webhookId, held: t.held })),
      };
    });
    await this.events.storeWithDeliveries(events);
    await this.webhooks.markDisablesAnnounced(disables);
    await this.enqueue(events.flatMap((e) => e.deliveries.filter((d) => !d.held).map((d) => ({ ...d, accountId: e.accountId }))));
  }

  /** Queued at once when Redis answers; otherwise the reconciler finds the pending deliveries. */
  private async enqueue(deliveries: ReadonlyArray<NewEvent['deliveries'][number] & { accountId: AccountId }>): Promise<void> {
    if (deliveries.length === 0) return;
    try {
      await withinRedisWait(this.redis, async () => {
        const priorities = await this.fair.placesFor(deliveries.map((d) => d.accountId));
        await this.queue.addBulk(deliveries.map((d, i) => deliverJob({ deliveryId: d.id, webhookId: d.webhookId, fair: { accountId: d.accountId, priority: priorities[i]! } })));
      });
    } catch (error) {
      this.notEnqueued.warn(`webhook.disabled deliveries stored but not enqueued; the reconciler will enqueue them: ${(error as Error).message}`);
    }
  }
}
