import type { EventType, WebhookEvent } from '@inbox/events';

// The /v1 API's objects. Field names are the API's own (snake_case), so a response is used as
// is; event types come from @inbox/events, the schemas the server validates with.

export type WebhookStatus = 'enabled' | 'disabled';
/**
 * Why a webhook is disabled: `failing` (every attempt failed for a while: 5 days by default),
 * `gone` (its endpoint answered 410 Gone) or `manual` (you disabled it).
 */
export type WebhookDisabledReason = 'failing' | 'gone' | 'manual';
export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

export interface Webhook {
  id: string;
  url: string;
  events: EventType[];
  description: string | null;
  status: WebhookStatus;
  /** Why it is disabled; null while enabled. Setting `status: 'enabled'` clears it. */
  disabled_reason: WebhookDisabledReason | null;
  /** When it was disabled; null while enabled. */
  disabled_at: string | null;
  /** At most this many deliveries per second to this webhook; null: no limit. */
  rate_limit: number | null;
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

export interface RotateSecretParams {
  /**
   * How long the current secret keeps signing beside the new one, in whole seconds: 0 to 604800
   * (7 days). Default 86400 (one day); 0 stops it at once.
   */
  expireInSeconds?: number;
}

/** The answer to `rotateSecret`. */
export interface RotatedSecret {
  /** The new secret: it signs every delivery from now on. */
  secret: string;
  /**
   * Until when the replaced secret still signs beside it (`X-Inbox-Signature-Previous`, and a second
   * `webhook-signature` entry); null when it stopped at once (`expireInSeconds: 0`).
   */
  previous_secret_expires_at: string | null;
}

export interface CreateWebhookParams {
  /** Absolute https URL of your endpoint. */
  url: string;
  /** Event types to receive (at least one). */
  events: EventType[];
  description?: string | null;
  /** At most this many deliveries per second (a whole number, 1–10000); null or absent: no limit. */
  rate_limit?: number | null;
}

/** PUT replaces the webhook: url, events and description (absent = none); `status` and `rate_limit` when given. */
export interface UpdateWebhookParams {
  url: string;
  events: EventType[];
  description?: string | null;
  status?: WebhookStatus;
  /** A new limit (1–10000 deliveries per second), or null to remove it; absent: left as it is. */
  rate_limit?: number | null;
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
   * internal_error (nothing was sent: Inbox could not prepare the request), webhook_disabled
   * (nothing was sent: the webhook is disabled, so the delivery ended), or null.
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

/** The answer to `test` and `trigger`: the sample event and its deliveries, accepted for sending. */
export interface TestResult {
  event_id: string;
  /** The delivery to the webhook (for `trigger`: the first of `delivery_ids`). */
  delivery_id: string;
  /** Every delivery of the test event. */
  delivery_ids: string[];
}

/** The answer to `resend`: the new delivery, whose attempts the logs list under this id. */
export interface ResendResult {
  delivery_id: string;
}

/** Which events `recover` sends again: those created in `[since, until)`. */
export interface RecoverParams {
  /** At most 14 days before `until`, and within the last 30 days. */
  since: Date | string;
  /** Default: now. */
  until?: Date | string;
}

/** The answer to `recover`: how many failed events were sent again (one new delivery each). */
export interface RecoverResult {
  deliveries: number;
}

/** An attempt in an event's detail: its log entry and the request it sent. */
export interface SentAttempt extends AttemptLog {
  /**
   * The headers it was sent with (lower-case names). Null values — the signing time and the
   * signatures — are not stored. Null when the attempt sent nothing (`internal_error`, `webhook_disabled`).
   */
  request_headers: Record<string, string | null> | null;
}

export interface StatsParams {
  /** How many hours back, the current one included: 1–168. Default 24. */
  hours?: number;
}

/** One hour of a webhook's attempts. Durations are null for an hour without attempts. */
export interface StatsBucket {
  /** The hour's start (ISO-8601). */
  start: string;
  attempts: number;
  succeeded: number;
  avg_ms: number | null;
  p50_ms: number | null;
  p95_ms: number | null;
}

/** The answer to `stats`: a webhook's attempts by the hour, oldest first, empty hours included. */
export interface WebhookStats {
  /** Start of the first bucket. */
  since: string;
  bucket_seconds: 3600;
  totals: { attempts: number; succeeded: number };
  buckets: StatsBucket[];
}

export interface EventDelivery {
  id: string;
  webhook_id: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: string | null;
  last_attempt_at: string | null;
  created_at: string;
  /** The delivery this one sends again (a resend or recover), or null for the first. */
  resend_of: string | null;
  attempt_log: SentAttempt[];
}

/** `GET /v1/events/{id}`: the event as sent, and its deliveries with their attempts. */
export interface EventDetail {
  id: string;
  type: EventType;
  created_at: string;
  received_at: string;
  /** The body sent to your endpoints. */
  payload: WebhookEvent;
  /** The exact body every attempt sent (UTF-8 JSON): `payload` as bytes, for checking signatures. */
  body: string;
  deliveries: EventDelivery[];
}

/** One event type of the catalog (`inbox.eventTypes.list()`). */
export interface EventTypeInfo {
  type: EventType;
  description: string;
  /** JSON Schema (draft 2020-12) of the whole event, envelope and `data`. */
  schema: Record<string, unknown>;
  /** An event of this type, as your endpoint receives it. */
  example: WebhookEvent;
}

/** `GET /v1/event-types`: every event type a webhook may subscribe to (not paginated). */
export interface EventTypeList {
  data: EventTypeInfo[];
}
