import type { EventType, WebhookEvent } from '@inbox/events';

// The /v1 API's objects. Field names are the API's own (snake_case), so a response is used as
// is; event types come from @inbox/events, the schemas the server validates with.

export type WebhookStatus = 'enabled' | 'disabled';
export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

export interface Webhook {
  id: string;
  url: string;
  events: EventType[];
  description: string | null;
  status: WebhookStatus;
  created_at: string;
  updated_at: string;
}

/** The answer to `create`: the webhook and its signing secret (also at `webhooks.secret(id)`). */
export interface WebhookWithSecret extends Webhook {
  secret: string;
}

export interface WebhookSecret {
  secret: string;
}

export interface CreateWebhookParams {
  /** Absolute https URL of your endpoint. */
  url: string;
  /** Event types to receive (at least one). */
  events: EventType[];
  description?: string | null;
}

/** PUT replaces the webhook: url, events and description (absent = none); `status` when given. */
export interface UpdateWebhookParams {
  url: string;
  events: EventType[];
  description?: string | null;
  status?: WebhookStatus;
}

/** A page of a list. `next_cursor` is null on the last page. */
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export interface ListParams {
  /** Page size, 1–250 (the API's default is 50). */
  limit?: number;
  /** Start after this cursor (a `next_cursor` from an earlier page). */
  cursor?: string;
}

export interface LogsParams extends ListParams {
  /** Only attempts whose delivery is now in this status. */
  status?: DeliveryStatus;
  event_type?: EventType;
  /** Only attempts made at or after this time. */
  since?: Date | string;
  /** Only attempts made before this time. */
  until?: Date | string;
}

/** One delivery attempt, as `GET /v1/webhooks/{id}/logs` lists them (newest first). */
export interface AttemptLog {
  id: string;
  event_id: string;
  event_type: EventType;
  /** 1-based attempt number. */
  attempt: number;
  requested_at: string;
  duration_ms: number;
  /** HTTP status, or null when no response came back. */
  status_code: number | null;
  /**
   * timeout, connection_refused, connection_reset, dns, tls, redirect, blocked_address, network,
   * internal_error (nothing was sent: Inbox could not prepare the request), or null.
   */
  error: string | null;
  error_message: string | null;
  /** First 1 KiB of the response body. */
  response_body: string | null;
  succeeded: boolean;
  delivery_id: string;
  delivery_status: DeliveryStatus;
  /** When the delivery is tried next, while it is pending. */
  next_retry_at: string | null;
}

/** The answer to `test`: the sample event and its delivery, accepted for sending. */
export interface TestResult {
  event_id: string;
  delivery_id: string;
}

export interface EventDelivery {
  id: string;
  webhook_id: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: string | null;
  last_attempt_at: string | null;
  created_at: string;
  attempt_log: AttemptLog[];
}

/** `GET /v1/events/{id}`: the event as sent, and its deliveries with their attempts. */
export interface EventDetail {
  id: string;
  type: EventType;
  created_at: string;
  received_at: string;
  /** The body sent to your endpoints. */
  payload: WebhookEvent;
  deliveries: EventDelivery[];
}
