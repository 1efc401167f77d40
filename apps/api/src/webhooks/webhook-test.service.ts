import { Injectable } from '@nestjs/common';
import { newId, parseId, type AccountId, type DeliveryId, type EventId } from '@inbox/db';
import { exampleEvents, type EventType } from '@inbox/events';
import { nowTimestamp } from '@inbox/server';
import { ConflictError, NotFoundError } from '../common/api-error.js';
import { EventPipeline } from '../pipeline/event-pipeline.js';
import { WebhooksService } from './webhooks.service.js';

/**
 * `POST /v1/webhooks/test`: the docs' example of the type, with a fresh id and created_at now, sent
 * to that one webhook through the normal pipeline (stored, queued, signed, retried, logged), whether
 * or not the webhook subscribes to the type.
 */
@Injectable()
export class WebhookTestService {
  constructor(
    private readonly webhooks: WebhooksService,
    private readonly pipeline: EventPipeline,
  ) {}

  async send(accountId: AccountId, webhookId: string, type: EventType): Promise<{ event_id: EventId; delivery_id: DeliveryId }> {
    const id = parseId('webhook', webhookId);
    if (!id) throw new NotFoundError('Webhook');
    const webhook = await this.webhooks.require(accountId, id);
    if (webhook.status !== 'enabled') throw new ConflictError('webhook_disabled', 'The webhook is disabled; enable it to send a test event');
    const example = structuredClone(exampleEvents[type]);
    const eventId = newId('event');
    const { stored } = await this.pipeline.submit([
      { accountId, envelope: { id: eventId, type, created_at: nowTimestamp(), data: example.data }, webhookIds: [webhook.id] },
    ]);
    const deliveryId = stored.get(eventId)?.[0];
    if (!deliveryId) throw new Error(`test event ${eventId} was not stored`);
    return { event_id: eventId, delivery_id: deliveryId };
  }
}
