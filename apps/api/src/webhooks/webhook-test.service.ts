import { Inject, Injectable, Logger } from '@nestjs/common';
import { newId, parseId, WebhooksRepository, type AccountId, type DeliveryId, type EventId, type WebhookId } from '@inbox/db';
import { exampleEvents, type EventType } from '@inbox/events';
import { API_CONFIG, nowTimestamp, ThrottledWarning, type ApiConfig } from '@inbox/server';
import { RateLimiter } from '../auth/rate-limiter.js';
import { ConflictError, NotFoundError, RateLimitedError } from '../common/api-error.js';
import { EventPipeline } from '../pipeline/event-pipeline.js';
import { WebhooksService } from './webhooks.service.js';

/** What a test answers: its event and deliveries. */
export interface TestAccepted {
  event_id: EventId;
  delivery_id: DeliveryId;
  delivery_ids: DeliveryId[];
}

/**
 * `POST /v1/webhooks/test`: the docs' example of the type, with a fresh id and created_at now, sent
 * to that one webhook through the normal pipeline (stored, queued, signed, retried, logged), whether
 * or not the webhook subscribes to the type; without a webhook, to every enabled webhook and
 * `inbox listen` session of the account that subscribes to it. At most `INBOX_TEST_EVENTS_PER_MINUTE` per account (every
 * replica together): a test reaches any webhook, so it gets a small budget of its own, apart from
 * the API key's.
 */
@Injectable()
export class WebhookTestService {
  private readonly log = new Logger('WebhookTestService');
  private readonly unlimited = new ThrottledWarning((m) => this.log.warn(m));

  constructor(
    private readonly webhooks: WebhooksService,
    private readonly repository: WebhooksRepository,
    private readonly pipeline: EventPipeline,
    private readonly limiter: RateLimiter,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async send(accountId: AccountId, webhookId: string | undefined, type: EventType): Promise<TestAccepted> {
    const targets = webhookId === undefined ? await this.subscribers(accountId, type) : [await this.target(accountId, webhookId)];
    await this.spendTest(accountId);
    const example = structuredClone(exampleEvents[type]);
    const eventId = newId('event');
    const { stored } = await this.pipeline.submit([{ accountId, envelope: { id: eventId, type, created_at: nowTimestamp(), data: example.data }, webhookIds: targets }]);
    const deliveryIds = stored.get(eventId);
    if (!deliveryIds?.[0]) throw new Error(`test event ${eventId} was not stored`);
    return { event_id: eventId, delivery_id: deliveryIds[0], delivery_ids: deliveryIds };
  }

  private async target(accountId: AccountId, webhookId: string): Promise<WebhookId> {
    const id = parseId('webhook', webhookId);
    if (!id) throw new NotFoundError('Webhook');
    return (await this.webhooks.requireEnabled(accountId, id, 'send a test event')).id;
  }

  /** The enabled webhooks and live `inbox listen` sessions of the account subscribed to the type; a 409 when there is none. */
  private async subscribers(accountId: AccountId, type: EventType): Promise<WebhookId[]> {
    const { targets } = await this.repository.findDeliveryTargets([accountId]);
    const ids = targets.filter((t) => !t.held && t.events.includes(type)).map((t) => t.webhookId);
    if (ids.length === 0) {
      throw new ConflictError('no_subscribers', `No enabled webhook or listen session of this account subscribes to ${type}: register one, run \`inbox listen\`, or name a webhook_id`);
    }
    return ids;
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
