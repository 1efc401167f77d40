import type { EventType } from '@inbox/events';
import type { HttpClient, RequestOptions } from './http.js';
import { PagedList } from './pagination.js';
import type {
  AttemptLog,
  CreateWebhookParams,
  ListParams,
  LogsParams,
  Page,
  RotatedSecret,
  RotateSecretParams,
  RecoverParams,
  RecoverResult,
  ResendResult,
  StatsParams,
  TestResult,
  UpdateWebhookParams,
  Webhook,
  WebhookSecret,
  WebhookStats,
  WebhookWithSecret,
} from './types.js';

/** `/v1/webhooks/{id}…` with the id escaped; an empty id would silently address the list instead. */
export function webhookPath(id: string, suffix = ''): string {
  if (typeof id !== 'string' || id === '') throw new TypeError('Inbox: a webhook id ("wh_…") is required');
  return `/v1/webhooks/${encodeURIComponent(id)}${suffix}`;
}

/** `inbox.webhooks`: register, list, change and test your endpoints, and read their delivery logs. */
export class Webhooks {
  constructor(private readonly http: HttpClient) {}

  /** Registers an endpoint. The answer carries its signing `secret`. */
  create(params: CreateWebhookParams, options?: RequestOptions): Promise<WebhookWithSecret> {
    return this.http.request({ method: 'POST', path: '/v1/webhooks', body: params }, options);
  }

  /** Your webhooks, newest first: `for await (const wh of inbox.webhooks.list())`, or `.page()`. */
  list(params: ListParams = {}, options?: RequestOptions): PagedList<Webhook> {
    const { limit, cursor } = params;
    return new PagedList(
      (at) =>
        this.http.request<Page<Webhook>>(
          { method: 'GET', path: '/v1/webhooks', query: { limit, cursor: at } },
          options,
        ),
      cursor,
    );
  }

  get(id: string, options?: RequestOptions): Promise<Webhook> {
    return this.http.request({ method: 'GET', path: webhookPath(id) }, options);
  }

  /** Replaces url, events and description (absent description = none); sets `status` when given. */
  update(id: string, params: UpdateWebhookParams, options?: RequestOptions): Promise<Webhook> {
    return this.http.request({ method: 'PUT', path: webhookPath(id), body: params }, options);
  }

  /** Deletes the webhook; pending deliveries to it stop, its logs stay readable. */
  async delete(id: string, options?: RequestOptions): Promise<void> {
    await this.http.request<undefined>({ method: 'DELETE', path: webhookPath(id) }, options);
  }

  /** Sends the docs' example event of `eventType` to this webhook through the normal pipeline. */
  test(id: string, eventType: EventType, options?: RequestOptions): Promise<TestResult> {
    if (typeof id !== 'string' || id === '') throw new TypeError('Inbox: a webhook id ("wh_…") is required');
    return this.http.request(
      { method: 'POST', path: '/v1/webhooks/test', body: { webhook_id: id, event_type: eventType } },
      options,
    );
  }

  /**
   * Sends the docs' example event of `eventType` to every enabled webhook and `inbox listen`
   * session of the account that subscribes to it (what `inbox trigger` does). `ConflictError`
   * (`no_subscribers`) when nothing subscribes to it.
   */
  trigger(eventType: EventType, options?: RequestOptions): Promise<TestResult> {
    return this.http.request({ method: 'POST', path: '/v1/webhooks/test', body: { event_type: eventType } }, options);
  }

  /**
   * Sends an event already sent to this webhook again: the same bytes and event id, as a new
   * delivery with a fresh retry schedule. `ConflictError` while the webhook is disabled, or while the
   * event still has a pending delivery to it.
   */
  resend(id: string, eventId: string, options?: RequestOptions): Promise<ResendResult> {
    return this.http.request(
      { method: 'POST', path: webhookPath(id, '/resend'), body: { event_id: eventId } },
      options,
    );
  }

  /**
   * Sends again, once each, every event created in `[since, until)` whose delivery to this webhook
   * failed (until: default now; a window of at most 14 days within the last 30).
   */
  recover(id: string, params: RecoverParams, options?: RequestOptions): Promise<RecoverResult> {
    const { since, until } = params;
    const iso = (at: Date | string) => (at instanceof Date ? at.toISOString() : at);
    const body = until === undefined ? { since: iso(since) } : { since: iso(since), until: iso(until) };
    return this.http.request({ method: 'POST', path: webhookPath(id, '/recover'), body }, options);
  }

  /** Delivery attempts to this webhook, newest first, filterable; iterate or take `.page()`. */
  logs(id: string, params: LogsParams = {}, options?: RequestOptions): PagedList<AttemptLog> {
    const path = webhookPath(id, '/logs');
    const { cursor, ...filters } = params;
    return new PagedList(
      (at) => this.http.request<Page<AttemptLog>>({ method: 'GET', path, query: { ...filters, cursor: at } }, options),
      cursor,
    );
  }

  /**
   * Attempts to this webhook by the hour over the last `hours` (default 24): how many, how many
   * succeeded, and their latency (mean, median, 95th percentile).
   */
  stats(id: string, params: StatsParams = {}, options?: RequestOptions): Promise<WebhookStats> {
    return this.http.request({ method: 'GET', path: webhookPath(id, '/stats'), query: { hours: params.hours } }, options);
  }

  /** The webhook's signing secret. */
  secret(id: string, options?: RequestOptions): Promise<WebhookSecret> {
    return this.http.request({ method: 'GET', path: webhookPath(id, '/secret') }, options);
  }

  /**
   * Replaces the signing secret. The old one keeps signing beside the new one for `expireInSeconds`
   * (default one day), so receivers can switch without refusing a delivery: verify with both
   * (`constructEvent(body, headers, [newSecret, oldSecret])`) until then. Rotating again meanwhile
   * makes the current secret the previous one; the one before it stops at once.
   */
  rotateSecret(id: string, params: RotateSecretParams = {}, options?: RequestOptions): Promise<RotatedSecret> {
    const { expireInSeconds } = params;
    const body = expireInSeconds === undefined ? {} : { expire_in_seconds: expireInSeconds };
    return this.http.request({ method: 'POST', path: webhookPath(id, '/secret/rotate'), body }, options);
  }
}
