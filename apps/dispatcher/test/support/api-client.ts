import { EVENT_TYPES } from '@inbox/events';

/** A thin client of the running API app: what an internal service and a customer would call. */
export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly internalToken: string,
  ) {}

  private async call<T>(method: string, path: string, token: string, body: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  async createAccount(name: string): Promise<{ id: string; api_key: string }> {
    const res = await this.call<{ id: string; api_key: string }>('POST', '/internal/v1/accounts', this.internalToken, { name });
    if (res.status !== 201) throw new Error(`POST /internal/v1/accounts: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async createWebhook(apiKey: string, url: string): Promise<{ id: string; secret: string }> {
    const res = await this.call<{ id: string; secret: string }>('POST', '/v1/webhooks', apiKey, { url, events: EVENT_TYPES });
    if (res.status !== 201) throw new Error(`POST /v1/webhooks: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** `POST /internal/v1/events`; returns the event id when accepted (202). */
  async ingest(event: { account_id: string; type: string; data: unknown }): Promise<string> {
    const res = await this.call<{ id: string; deliveries: number }>('POST', '/internal/v1/events', this.internalToken, event);
    if (res.status !== 202) throw new Error(`POST /internal/v1/events: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id;
  }
}
