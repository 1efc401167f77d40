import { z } from 'zod';
import { eventTypeSchema, timestampInRange } from '@inbox/events';
import type { AttemptLogEntry, EventWithDeliveries } from '@inbox/db';
import { cursorParam, limitParam } from '../common/pagination.js';
import { iso, isoRequired } from '../common/iso.js';
import { sentHeaders } from './sent-headers.js';

const timeParam = (name: string) =>
  z.iso
    .datetime({ offset: true, error: `${name} must be an ISO-8601 timestamp such as 2025-01-15T10:25:03Z` })
    .check(timestampInRange(name))
    .transform((v) => new Date(v))
    .optional()
    .meta({ example: '2025-01-15T10:25:03Z' });

const deliveryStatus = z.enum(['pending', 'succeeded', 'failed']);

export const logsQuerySchema = z
  .strictObject({
    limit: limitParam,
    cursor: cursorParam,
    status: deliveryStatus.optional().meta({ description: "Only attempts whose delivery is now in this status" }),
    event_type: eventTypeSchema.optional(),
    since: timeParam('since').meta({ description: 'Only attempts made at or after this time' }),
    until: timeParam('until').meta({ description: 'Only attempts made before this time' }),
  })
  .refine((q) => !q.since || !q.until || q.since <= q.until, { error: 'since must not be after until', path: ['since'] });

export type LogsQuery = z.infer<typeof logsQuerySchema>;

export const attemptLogSchema = z
  .object({
    id: z.string().meta({ example: 'att_01JD0Y6J6R8Z3Q4W5E6R7T8Y9U' }),
    event_id: z.string().meta({ example: 'evt_1234567890' }),
    event_type: eventTypeSchema,
    attempt: z.number().int().meta({ description: '1-based attempt number', example: 1 }),
    requested_at: z.string().meta({ example: '2025-01-15T10:25:03.120Z' }),
    duration_ms: z.number().int().meta({ example: 182 }),
    status_code: z.number().int().nullable().meta({ description: 'HTTP status, or null when no response came back', example: 500 }),
    error: z
      .string()
      .nullable()
      .meta({
        description:
          'timeout, connection_refused, connection_reset, dns, tls, redirect, blocked_address, network, internal_error (nothing was sent: the request could not be prepared on our side), ' +
          'webhook_disabled (nothing was sent: the webhook is disabled, so the delivery ended; `error_message` says why), or null',
      }),
    error_message: z.string().nullable(),
    response_body: z.string().nullable().meta({ description: 'First 1 KiB of the response body' }),
    succeeded: z.boolean(),
    delivery_id: z.string().meta({ example: 'dlv_01JD0Y6J6R8Z3Q4W5E6R7T8Y9U' }),
    delivery_status: deliveryStatus,
    next_retry_at: z.string().nullable().meta({ description: 'When the delivery is tried next, while it is pending' }),
  })
  .meta({
    id: 'AttemptLog',
    // A first attempt answered 500: its delivery is pending, tried again 30 s later.
    example: {
      id: 'att_01JD0Y6J6R8Z3Q4W5E6R7T8Y9U',
      event_id: 'evt_1234567890',
      event_type: 'message.delivered',
      attempt: 1,
      requested_at: '2025-01-15T10:25:03.120Z',
      duration_ms: 182,
      status_code: 500,
      error: null,
      error_message: null,
      response_body: 'Internal Server Error',
      succeeded: false,
      delivery_id: 'dlv_01JD0Y6J6R8Z3Q4W5E6R7T8Y9U',
      delivery_status: 'pending',
      next_retry_at: '2025-01-15T10:25:33.302Z',
    },
  });

export const attemptLogPageSchema = z.object({ data: z.array(attemptLogSchema), next_cursor: z.string().nullable() }).meta({ id: 'AttemptLogPage' });

export type AttemptLog = z.infer<typeof attemptLogSchema>;

export function presentAttempt(a: AttemptLogEntry): AttemptLog {
  return {
    id: a.id,
    event_id: a.eventId,
    event_type: a.eventType as AttemptLog['event_type'],
    attempt: a.attemptNumber,
    requested_at: isoRequired(a.requestedAt),
    duration_ms: a.durationMs,
    status_code: a.statusCode,
    error: a.error,
    error_message: a.errorMessage,
    response_body: a.responseBody,
    succeeded: a.succeeded,
    delivery_id: a.deliveryId,
    delivery_status: a.deliveryStatus,
    next_retry_at: a.deliveryStatus === 'pending' ? iso(a.nextAttemptAt) : null,
  };
}

/** An attempt in an event's detail: its log entry and the headers it was sent with. */
const sentAttemptSchema = attemptLogSchema
  .extend({
    request_headers: z
      .record(z.string(), z.string().nullable())
      .nullable()
      .meta({
        description:
          'The headers the attempt was sent with; null values (the signing time and the signatures) are not stored. Null when the attempt sent nothing (internal_error, webhook_disabled).',
        example: { 'content-type': 'application/json', 'x-inbox-event-id': 'evt_1234567890', 'x-inbox-signature': null },
      }),
  })
  .meta({ id: 'SentAttempt' });

export const eventDetailSchema = z
  .object({
    id: z.string().meta({ example: 'evt_1234567890' }),
    type: eventTypeSchema,
    created_at: z.string().meta({ example: '2025-01-15T10:25:03Z' }),
    received_at: z.string().meta({ example: '2025-01-15T10:25:03.118Z' }),
    // Documented as the union of the event schemas (the OpenAPI document's WebhookEvent component
    // replaces this one: src/openapi/webhook-events.ts).
    payload: z.record(z.string(), z.unknown()).meta({ id: 'WebhookEvent', description: 'The body sent to your endpoints' }),
    body: z.string().meta({ description: 'The exact body every attempt sent (UTF-8 JSON): `payload` as bytes, for checking signatures', example: '{"id":"evt_1234567890",…}' }),
    deliveries: z.array(
      z.object({
        id: z.string().meta({ example: 'dlv_01JD0Y6J6R8Z3Q4W5E6R7T8Y9U' }),
        webhook_id: z.string().meta({ example: 'wh_01JD0Y6J6R8Z3Q4W5E6R7T8Y9U' }),
        status: deliveryStatus.meta({ example: 'pending' }),
        attempts: z.number().int().meta({ example: 1 }),
        next_attempt_at: z.string().nullable().meta({ example: '2025-01-15T10:25:33.302Z' }),
        last_attempt_at: z.string().nullable().meta({ example: '2025-01-15T10:25:03.120Z' }),
        created_at: z.string().meta({ example: '2025-01-15T10:25:03.118Z' }),
        resend_of: z
          .string()
          .nullable()
          .meta({ description: 'The delivery this one sends again (a resend or recover of the event), or null for the first', example: null }),
        attempt_log: z.array(sentAttemptSchema),
      }),
    ),
  })
  .meta({ id: 'EventDetail' });

export type EventDetail = z.infer<typeof eventDetailSchema>;

export function presentEvent(event: EventWithDeliveries, attempts: AttemptLogEntry[]): EventDetail {
  return {
    id: event.id,
    type: event.type as EventDetail['type'],
    created_at: isoRequired(event.createdAt),
    received_at: isoRequired(event.receivedAt),
    payload: JSON.parse(event.body) as Record<string, unknown>,
    body: event.body,
    deliveries: event.deliveries.map((d) => ({
      id: d.id,
      webhook_id: d.webhookId,
      status: d.status,
      attempts: d.attempts,
      next_attempt_at: d.status === 'pending' ? iso(d.nextAttemptAt) : null,
      last_attempt_at: iso(d.lastAttemptAt),
      created_at: isoRequired(d.createdAt),
      resend_of: d.resendOf,
      attempt_log: attempts.filter((a) => a.deliveryId === d.id).map((a) => ({ ...presentAttempt(a), request_headers: sentHeaders(a) })),
    })),
  };
}
