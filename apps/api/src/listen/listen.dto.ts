import { z } from 'zod';
import { EVENT_TYPES, isEventType, storableText, type EventType } from '@inbox/events';
import { LISTEN_REQUEST_ID } from '@inbox/server';

/** `GET /v1/listen?events=a,b&webhook_id=wh_…`: which events the session gets. */
export const listenQuerySchema = z.strictObject({
  events: z
    .string()
    .max(1000, { error: 'events must be at most 1000 characters' })
    .transform((value, ctx): EventType[] => {
      const types = value
        .split(',')
        .map((t) => t.trim())
        .filter((t) => t !== '');
      const unknown = types.filter((t) => !isEventType(t));
      if (types.length === 0) ctx.addIssue({ code: 'custom', message: 'events must name at least one event type' });
      else if (unknown.length > 0) ctx.addIssue({ code: 'custom', message: `unknown event type ${unknown.map((t) => JSON.stringify(t)).join(', ')}; known: ${EVENT_TYPES.join(', ')}` });
      return [...new Set(types)] as EventType[];
    })
    .optional()
    .meta({
      description: `Comma-separated event types to receive (${EVENT_TYPES.join(', ')}); all of them when absent. With webhook_id: only those of the webhook's`,
      example: 'message.delivered,message.read',
    }),
  webhook_id: z
    .string()
    .max(255)
    .optional()
    .meta({ description: 'Receive what this webhook receives (its event types)', example: 'wh_01JD0Y6J6R8Z3Q4W5E6R7T8Y9U' }),
});

export type ListenQuery = z.infer<typeof listenQuerySchema>;

const MAX_REPORTED_BODY = 4096;

/** What the CLI reports after forwarding one delivery to the local server. */
export const listenResponseSchema = z
  .strictObject({
    request_id: z.string().regex(LISTEN_REQUEST_ID, { error: 'request_id must be the request_id of a delivery event' }).meta({ example: '0123456789abcdef.0123456789abcdef0123456789abcdef' }),
    status_code: z.int().min(100).max(599).nullable().optional().meta({ description: "The local server's HTTP status; null or absent when it gave none", example: 200 }),
    error: z
      .enum(['connection_refused', 'connection_reset', 'timeout', 'network'])
      .nullable()
      .optional()
      .meta({ description: 'Why the local server gave no status', example: null }),
    error_message: storableText('error_message').max(500).nullable().optional(),
    duration_ms: z.int().min(0).max(3_600_000).meta({ description: 'How long the local request took', example: 12 }),
    body: storableText('body').max(MAX_REPORTED_BODY).nullable().optional().meta({ description: "The start of the local server's answer (the log keeps 1 KiB)", example: 'ok' }),
  })
  .refine((r) => (r.status_code == null) !== (r.error == null), { error: 'give either status_code or error', path: ['status_code'] })
  .meta({ id: 'ListenResponse', example: { request_id: '0123456789abcdef.0123456789abcdef0123456789abcdef', status_code: 200, duration_ms: 12, body: 'ok' } });

export type ListenResponseBody = z.infer<typeof listenResponseSchema>;

/** The stream's first event: the session. Documented here; the stream itself is text/event-stream. */
export const listenSessionSchema = z
  .object({
    id: z.string().meta({ description: "The session's id: GET /v1/webhooks/{id}/logs lists its attempts", example: 'wh_01JD0Y6J6R8Z3Q4W5E6R7T8Y9U' }),
    secret: z.string().meta({ description: "The session's signing secret: every delivery to it is signed with it", example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }),
    events: z.array(z.string()).meta({ example: ['message.delivered', 'message.read'] }),
  })
  .meta({ id: 'ListenSession' });

export type ListenSessionEvent = z.infer<typeof listenSessionSchema>;
