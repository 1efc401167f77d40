import type { HttpClient, RequestOptions } from './http.js';
import type { EventTypeList } from './types.js';

/** `inbox.eventTypes`: the event catalog — what a webhook may subscribe to, with each event's JSON Schema. */
export class EventTypes {
  constructor(private readonly http: HttpClient) {}

  /** Every event type a webhook may subscribe to, each with a description, its JSON Schema and an example. */
  list(options?: RequestOptions): Promise<EventTypeList> {
    return this.http.request({ method: 'GET', path: '/v1/event-types' }, options);
  }
}
