import { Inject, Injectable } from '@nestjs/common';
import {
  parseId,
  ResendsRepository,
  type AccountId,
  type DeliveryId,
  type EventId,
  type RecoverWindow,
  type WebhookId,
} from '@inbox/db';
import { API_CONFIG, formatDuration, type ApiConfig } from '@inbox/server';
import { ConflictError, NotFoundError, ValidationError } from '../common/api-error.js';
import { EventPipeline } from '../pipeline/event-pipeline.js';
import { WebhooksService } from '../webhooks/webhooks.service.js';

/** Deliveries made per batch of a recover: two bounded statements and one chunk of jobs each. */
const RECOVER_BATCH = 1000;

/**
 * Resend and recover: events already sent to a webhook go to it again through the normal pipeline
 * — the stored body bytes and event id, a new delivery with a fresh retry schedule, enqueued after
 * commit like ingest's (a failed enqueue is left to the reconciler).
 */
@Injectable()
export class ResendService {
  constructor(
    private readonly webhooks: WebhooksService,
    private readonly resends: ResendsRepository,
    private readonly pipeline: EventPipeline,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  /** One event, whatever became of it before; 404 unless it was sent to this webhook. */
  async resend(accountId: AccountId, webhookId: WebhookId, eventIdText: string): Promise<{ delivery_id: DeliveryId }> {
    const webhook = await this.webhooks.requireEnabled(accountId, webhookId, 'send events to it again');
    const eventId = parseId('event', eventIdText);
    if (!eventId) throw new NotFoundError('Event');
    const result = await this.resends.resend(accountId, webhook.id, eventId);
    if ('neverSent' in result) throw new NotFoundError('Event');
    if ('stillPending' in result) {
      throw new ConflictError(
        'delivery_pending',
        'This event has a pending delivery to this webhook, still on its retry schedule; resend it once that delivery has ended',
      );
    }
    await this.pipeline.enqueue([{ id: result.created, webhookId: webhook.id, accountId }]);
    return { delivery_id: result.created };
  }

  /** Every event of the window whose delivery to this webhook failed, once each, in batches. */
  async recover(accountId: AccountId, webhookId: WebhookId, window: RecoverWindow): Promise<{ deliveries: number }> {
    // Older events are gone (INBOX_RETENTION): a window reaching before that would silently miss them.
    if (window.since.getTime() < Date.now() - this.config.retentionMs) {
      throw new ValidationError([{ path: 'since', message: `since must be within the retention period (the last ${formatDuration(this.config.retentionMs)}): older events are not kept` }]);
    }
    const webhook = await this.webhooks.requireEnabled(accountId, webhookId, 'send events to it again');
    let deliveries = 0;
    let after: EventId | null = null;
    do {
      const batch = await this.resends.recoverBatch(accountId, webhook.id, window, after, RECOVER_BATCH);
      await this.pipeline.enqueue(batch.created.map((id) => ({ id, webhookId: webhook.id, accountId })));
      deliveries += batch.created.length;
      after = batch.next;
    } while (after);
    return { deliveries };
  }
}
