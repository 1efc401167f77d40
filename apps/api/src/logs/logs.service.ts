import { Injectable } from '@nestjs/common';
import { AttemptsRepository, EventsRepository, WebhooksRepository, type AccountId, type EventId, type WebhookId } from '@inbox/db';
import { NotFoundError } from '../common/api-error.js';
import { decodeCursor, DEFAULT_LIMIT, toPage, type Page } from '../common/pagination.js';
import { presentAttempt, presentEvent, type AttemptLog, type EventDetail, type LogsQuery } from './logs.dto.js';

/** What a customer reads to debug deliveries: a webhook's attempts, an event's deliveries. */
@Injectable()
export class LogsService {
  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly attempts: AttemptsRepository,
    private readonly events: EventsRepository,
  ) {}

  /** Attempts newest first. A deleted webhook's logs stay readable by its id. */
  async webhookLogs(accountId: AccountId, webhookId: WebhookId, query: LogsQuery): Promise<Page<AttemptLog>> {
    const webhook = await this.webhooks.findIncludingDeleted(accountId, webhookId);
    if (!webhook) throw new NotFoundError('Webhook');
    const limit = query.limit ?? DEFAULT_LIMIT;
    const rows = await this.attempts.listForWebhook(
      accountId,
      webhookId,
      { status: query.status, eventType: query.event_type, since: query.since, until: query.until },
      { limit: limit + 1, before: decodeCursor(query.cursor, 'attempt') },
    );
    return toPage(rows, limit, presentAttempt);
  }

  async event(accountId: AccountId, eventId: EventId): Promise<EventDetail> {
    const event = await this.events.findWithDeliveries(accountId, eventId);
    if (!event) throw new NotFoundError('Event');
    const attempts = event.deliveries.length > 0 ? await this.attempts.listForEvent(accountId, eventId) : [];
    return presentEvent(event, attempts);
  }
}
