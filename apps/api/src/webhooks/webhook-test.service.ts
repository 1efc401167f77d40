import { Inject, Injectable, Logger } from '@nestjs/common';
import { newId, parseId, type AccountId, type DeliveryId, type EventId } from '@inbox/db';
import { exampleEvents, type EventType } from '@inbox/events';
import { API_CONFIG, nowTimestamp, ThrottledWarning, type ApiConfig } from '@inbox/server';
import { RateLimiter } from '../auth/rate-limiter.js';
import { NotFoundError, RateLimitedError } from '../common/api-error.js';
import { EventPipeline } from '../pipeline/event-pipeline.js';
import { WebhooksService } from './webhooks.service.js';

/**
 * `POST /v1/webhooks/test`: the docs' example of the type, with a fresh id and created_at now, sent
 * to that one webhook through the normal pipeline (stored, queued, signed, retried, logged), whether
 * or not the webhook subscribes to the type. At most `INBOX_TEST_EVENTS_PER_MINUTE` per account (every
 * replica together): a test reaches any webhook, so it gets a small budget of its own, apart from
 * the API key's.
 */
@Injectable()
export class WebhookTestService {
  private readonly log = new Logger('WebhookTestService');
  private readonly unlimited = new ThrottledWarning((m) => this.log.warn(m));

  constructor(
    private readonly webhooks: WebhooksService,
    private readonly pipeline: EventPipeline,
    private readonly limiter: RateLimiter,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async send(accountId: AccountId, webhookId: string, type: EventType): Promise<{ event_id: EventId; delivery_id: DeliveryId }> {
    const id = parseId('webhook', webhookId);
    if (!id) throw new NotFoundError('Webhook');
    const webhook = await this.webhooks.requireEnabled(accountId, id, 'send a test event');
    await this.spendTest(accountId);
    const example = structuredClone(exampleEvents[type]);
    const eventId = newId('event');
    const { stored } = await this.pipeline.submit([
      { accountId, envelope: { id: eventId, type, created_at: nowTimestamp(), data: example.data }, webhookIds: [webhook.id] },
    ]);
    const deliveryId = stored.get(eventId)?.[0];
    if (!deliveryId) throw new Error(`test event ${eventId} was not stored`);
    return { event_id: eventId, delivery_id: deliveryId };
  }

  /** 429 once the account's tests of this minute are spent; while Redis is unavailable, let through (and logged). */
  private async spendTest(accountId: AccountId): Promise<void> {
    let decision;
    try {
      decision = await this.limiter.hit(`test:${accountId}`, Date.now(), this.config.testEventsPerMinute);
    } catch (error) {
      this.unlimited.warn(`test event limit unchecked, Redis unavailable: ${(error as Error).message}`);
      return;
    }
    if (!decision.allowed) throw new RateLimitedError(decision.resetSeconds);
  }
}
