import { Pool, RetryAgent, type Dispatcher } from 'undici';
import type { EventType } from '@inbox/events';

export interface IngestEvent {
  /** Always set by the bench, so a retried request is a harmless repeat (ingest is idempotent on id). */
  id: string;
  account_id: string;
  type: EventType;
  data: unknown;
}

export interface Ingested {
  id: string;
  deliveries: number;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what} → ${status}: ${body.slice(0, 500)}`);
  }
}

/**
 * The few API calls the bench makes, over one keep-alive pool (wide enough for open-loop pacing at
 * 1000 ev/s with the API slowed down). Internal routes use the service token; /v1 the account's key.
 * Ingest calls, idempotent on the event id, are retried on connection errors (a keep-alive
 * connection the server closed just as a request went out, which a starved event loop makes likely).
 */
export class ApiClient {
  private readonly pool: Pool;
  private readonly retrying: RetryAgent;

  constructor(
    readonly baseUrl: string,
    private readonly internalToken: string,
  ) {
    this.pool = new Pool(baseUrl, { connections: 256, keepAliveTimeout: 30_000 });
    this.retrying = new RetryAgent(this.pool, { methods: ['POST'], statusCodes: [], maxRetries: 3, minTimeout: 50 });
  }

  createAccount(name: string): Promise<{ id: string; api_key: string }> {
    return this.call('POST', '/internal/v1/accounts', this.internalToken, { name }, 201);
  }

  createWebhook(apiKey: string, input: { url: string; events: EventType[]; description?: string }): Promise<{ id: string; secret: string }> {
    return this.call('POST', '/v1/webhooks', apiKey, input, 201);
  }

  ingest(event: IngestEvent): Promise<Ingested> {
    return this.call('POST', '/internal/v1/events', this.internalToken, event, 202, this.retrying);
  }

  /** `POST /internal/v1/events/batch` `{events: [...]}`. */
  ingestBatch(events: IngestEvent[]): Promise<unknown> {
    return this.call('POST', '/internal/v1/events/batch', this.internalToken, { events }, 202, this.retrying);
  }

  /** `GET /v1/webhooks/:id/logs?…`: a page of the webhook's attempts, newest first. */
  webhookLogs(apiKey: string, webhookId: string, query: Record<string, string> = {}): Promise<{ data: Array<{ id: string }>; next_cursor: string | null }> {
    const search = new URLSearchParams(query).toString();
    return this.call('GET', `/v1/webhooks/${webhookId}/logs${search ? `?${search}` : ''}`, apiKey, undefined, 200);
  }

  /** `GET /v1/events/:id`: an event with its deliveries and their attempts. */
  event(apiKey: string, eventId: string): Promise<{ id: string; deliveries: Array<{ attempt_log: unknown[] }> }> {
    return this.call('GET', `/v1/events/${eventId}`, apiKey, undefined, 200);
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private async call<T>(method: 'POST' | 'GET', path: string, token: string, body: unknown, expected: number, via: Dispatcher = this.pool): Promise<T> {
    const res = await via.request({
      origin: this.baseUrl,
      method,
      path,
      headers: body === undefined ? { authorization: `Bearer ${token}` } : { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    if (res.statusCode !== expected) throw new ApiError(res.statusCode, text, `${method} ${path}`);
    return JSON.parse(text) as T;
  }
}
