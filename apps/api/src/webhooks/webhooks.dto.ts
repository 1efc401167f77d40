import { z } from 'zod';
import { EVENT_TYPES, eventTypeSchema, storableText } from '@inbox/events';
import type { WebhookRecord } from '@inbox/db';
import { MAX_WEBHOOK_URL_LENGTH } from '@inbox/server';
import { iso, isoRequired } from '../common/iso.js';

export const MAX_DESCRIPTION_LENGTH = 512;

const urlField = storableText('url')
  .min(1, { error: 'url must not be empty' })
  .max(MAX_WEBHOOK_URL_LENGTH, { error: `url must be at most ${MAX_WEBHOOK_URL_LENGTH} characters` })
  .meta({ description: 'Absolute https URL of your endpoint', example: 'https://yourapp.com/webhooks/inbox' });

const eventsField = z
  .array(eventTypeSchema)
  .min(1, { error: 'events must name at least one event type' })
  // Checked before the items: a hostile array of thousands gets one error, not one per item.
  .max(EVENT_TYPES.length, { error: `events must name at most ${EVENT_TYPES.length} event types, each once` })
  .refine((types) => new Set(types).size === types.length, { error: 'events must not repeat an event type' })
  .meta({
    description: `Event types to receive: ${EVENT_TYPES.join(', ')} (GET /v1/event-types describes each)`,
    example: ['message.delivered', 'message.read', 'message.failed'],
  });

const descriptionField = storableText('description')
  .max(MAX_DESCRIPTION_LENGTH, { error: `description must be at most ${MAX_DESCRIPTION_LENGTH} characters` })
  .nullable()
  .optional()
  .meta({ example: 'Production webhook endpoint' });

export const MAX_RATE_LIMIT = 10_000;

const rateLimitRange = `rate_limit must be a whole number of deliveries per second from 1 to ${MAX_RATE_LIMIT}, or null for no limit`;

// One issue per bad value: the type check aborts, so 1e300 is not also reported as too large.
const rateLimitField = z
  .int({ error: rateLimitRange, abort: true })
  .min(1, { error: rateLimitRange })
  .max(MAX_RATE_LIMIT, { error: rateLimitRange })
  .nullable()
  .optional()
  .meta({ description: 'At most this many deliveries per second to this webhook; null: no limit', example: 50 });

/** The docs' register body: `{url, events, description?}`, and an optional `rate_limit`; nothing else. */
export const createWebhookSchema = z
  .strictObject({ url: urlField, events: eventsField, description: descriptionField, rate_limit: rateLimitField })
  .meta({
    id: 'CreateWebhookRequest',
    example: {
      url: 'https://yourapp.com/webhooks/inbox',
      events: ['message.delivered', 'message.read', 'message.failed'],
      description: 'Production webhook endpoint',
    },
  });

/**
 * PUT replaces url, events and description (absent = none); `status` enables or disables it;
 * `rate_limit` sets (null: removes) the throttle, left as it is when absent.
 */
export const updateWebhookSchema = z
  .strictObject({
    url: urlField,
    events: eventsField,
    description: descriptionField,
    status: z
      .enum(['enabled', 'disabled'])
      .optional()
      .meta({
        description:
          'Left as it is when absent. `disabled` stops deliveries (reason `manual`); `enabled` resumes them and clears the reason and the failure streak ' +
          '(POST /v1/webhooks/{id}/recover sends what it missed meanwhile)',
      }),
    rate_limit: rateLimitField,
  })
  .meta({
    id: 'UpdateWebhookRequest',
    example: { url: 'https://yourapp.com/webhooks/inbox', events: ['message.delivered'], description: 'Production webhook endpoint', status: 'disabled' },
  });

/**
 * The docs' test body: `{webhook_id, event_type}`. Without `webhook_id` the event goes to every
 * enabled webhook and `inbox listen` session of the account that subscribes to the type.
 */
export const testWebhookSchema = z
  .strictObject({
    webhook_id: z
      .string()
      .min(1)
      .max(255)
      .optional()
      .meta({
        description: 'The webhook to send it to (whether or not it subscribes to the type). Absent: every enabled webhook and `inbox listen` session that subscribes to the type',
        example: 'wh_1234567890',
      }),
    event_type: eventTypeSchema.meta({ example: 'message.delivered' }),
  })
  .meta({ id: 'TestWebhookRequest', example: { webhook_id: 'wh_1234567890', event_type: 'message.delivered' } });

export type CreateWebhookBody = z.infer<typeof createWebhookSchema>;
export type UpdateWebhookBody = z.infer<typeof updateWebhookSchema>;
export type TestWebhookBody = z.infer<typeof testWebhookSchema>;

export const webhookSchema = z
  .object({
    id: z.string().meta({ example: 'wh_01JD0Y6J6R8Z3Q4W5E6R7T8Y9U' }),
    url: z.string().meta({ example: 'https://yourapp.com/webhooks/inbox' }),
    events: z.array(eventTypeSchema),
    description: z.string().nullable().meta({ example: 'Production webhook endpoint' }),
    status: z.enum(['enabled', 'disabled']),
    disabled_reason: z
      .enum(['failing', 'gone', 'manual'])
      .nullable()
      .meta({
        description:
          'Why it is disabled: `failing` (every attempt failed for INBOX_AUTO_DISABLE_AFTER, 5 days by default), `gone` (it answered 410 Gone) ' +
          'or `manual` (you disabled it); null while enabled. Setting `status` to `enabled` clears it.',
        example: null,
      }),
    disabled_at: z.string().nullable().meta({ description: 'When it was disabled; null while enabled', example: null }),
    rate_limit: z.int().min(1).max(MAX_RATE_LIMIT).nullable().meta({ description: 'At most this many deliveries per second to this webhook; null: no limit', example: null }),
    created_at: z.string().meta({ example: '2025-01-15T10:25:03.000Z' }),
    updated_at: z.string().meta({ example: '2025-01-15T10:25:03.000Z' }),
  })
  .meta({ id: 'Webhook' });

export const webhookWithSecretSchema = webhookSchema
  .extend({ secret: z.string().meta({ description: 'Signing secret; also at GET /v1/webhooks/{id}/secret', example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }) })
  .meta({ id: 'WebhookWithSecret' });

export const webhookPageSchema = z.object({ data: z.array(webhookSchema), next_cursor: z.string().nullable() }).meta({ id: 'WebhookPage' });
export const webhookSecretSchema = z.object({ secret: z.string().meta({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }) }).meta({ id: 'WebhookSecret' });

/** The longest a replaced secret may keep signing: 7 days. */
export const MAX_SECRET_OVERLAP_SECONDS = 604_800;
/** How long a replaced secret keeps signing when the request does not say: 1 day. */
export const DEFAULT_SECRET_OVERLAP_SECONDS = 86_400;

const overlapRange = `expire_in_seconds must be a whole number of seconds from 0 to ${MAX_SECRET_OVERLAP_SECONDS}`;

/** `POST /v1/webhooks/{id}/secret/rotate`: `{expire_in_seconds?}`, or no body at all. */
export const rotateSecretSchema = z
  .strictObject({
    expire_in_seconds: z
      .int({ error: overlapRange })
      .min(0, { error: overlapRange })
      .max(MAX_SECRET_OVERLAP_SECONDS, { error: overlapRange })
      .optional()
      .meta({
        description:
          `How long the current secret keeps signing beside the new one, in seconds: default ${DEFAULT_SECRET_OVERLAP_SECONDS} (one day), ` +
          `at most ${MAX_SECRET_OVERLAP_SECONDS} (7 days); 0 stops it at once`,
        example: DEFAULT_SECRET_OVERLAP_SECONDS,
      }),
  })
  .meta({ example: { expire_in_seconds: DEFAULT_SECRET_OVERLAP_SECONDS } })
  // The id goes on the optional schema, so the document refers to it rather than wrapping it in allOf.
  .optional()
  .meta({ id: 'RotateWebhookSecretRequest' });

export type RotateSecretBody = z.infer<typeof rotateSecretSchema>;

export const rotatedSecretSchema = z
  .object({
    secret: z.string().meta({ description: 'The new signing secret: it signs every delivery from now on', example: 'whsec_Yr0WZ3n8zG1kVJ8oVGqvS2dR5mT9xH4eQb7uLc6pNaI=' }),
    previous_secret_expires_at: z.string().nullable().meta({
      description:
        'Until when the replaced secret still signs beside the new one (`X-Inbox-Signature-Previous`, and a second `webhook-signature` entry); ' +
        'null when `expire_in_seconds` was 0 and it stopped at once',
      example: '2025-01-16T10:25:03.000Z',
    }),
  })
  .meta({ id: 'RotatedWebhookSecret' });

export type RotatedSecretResponse = z.infer<typeof rotatedSecretSchema>;
export const testAcceptedSchema = z
  .object({
    event_id: z.string().meta({ example: 'evt_01JD0Y6J6R8Z3Q4W5E6R7T8Y9U' }),
    delivery_id: z.string().meta({ description: 'The delivery to the webhook (without webhook_id: the first of delivery_ids)', example: 'dlv_01JD0Y6J6R8Z3Q4W5E6R7T8Y9U' }),
    delivery_ids: z.array(z.string()).meta({ description: 'Every delivery of the test event', example: ['dlv_01JD0Y6J6R8Z3Q4W5E6R7T8Y9U'] }),
  })
  .meta({ id: 'TestAccepted' });

export type WebhookResponse = z.infer<typeof webhookSchema>;

export function presentWebhook(w: WebhookRecord): WebhookResponse {
  return {
    id: w.id,
    url: w.url,
    events: w.events as WebhookResponse['events'],
    description: w.description,
    status: w.status,
    disabled_reason: w.disabledReason,
    disabled_at: iso(w.disabledAt),
    rate_limit: w.rateLimit,
    created_at: isoRequired(w.createdAt),
    updated_at: isoRequired(w.updatedAt),
  };
}
