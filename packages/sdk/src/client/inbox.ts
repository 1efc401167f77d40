import type { EventDetail } from './types.js';
import { EventTypes } from './event-types.js';
import { HttpClient, type InboxClientOptions, type RequestOptions } from './http.js';
import { Webhooks } from './webhooks.js';

/** `inbox.events`: look up an event you were sent, with its deliveries and their attempts. */
export class Events {
  constructor(private readonly http: HttpClient) {}

  get(id: string, options?: RequestOptions): Promise<EventDetail> {
    if (typeof id !== 'string' || id === '') throw new TypeError('Inbox: an event id ("evt_…") is required');
    return this.http.request({ method: 'GET', path: `/v1/events/${encodeURIComponent(id)}` }, options);
  }
}

/**
 * The client of the Inbox `/v1` API.
 *
 * ```ts
 * const inbox = new Inbox(process.env.INBOX_API_KEY!);
 * const webhook = await inbox.webhooks.create({ url, events: ['message.read'] });
 * ```
 *
 * Retries 429, 5xx, timeouts and network errors (`maxRetries`, default 2) with exponential backoff
 * and jitter, honouring `Retry-After`; every POST carries an `Idempotency-Key` reused by its
 * retries, so a retried create never makes two webhooks. Errors are `InboxApiError` subclasses.
 */
export class Inbox {
  readonly webhooks: Webhooks;
  readonly events: Events;
  readonly eventTypes: EventTypes;

  constructor(apiKey: string, options: InboxClientOptions = {}) {
    const http = new HttpClient(apiKey, options);
    this.webhooks = new Webhooks(http);
    this.events = new Events(http);
    this.eventTypes = new EventTypes(http);
  }
}
