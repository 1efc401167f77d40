import { z } from 'zod';
import { EVENT_TYPES, eventTypeSchema, storableText } from '@inbox/events';
import type { WebhookRecord } from '@inbox/db';
import { MAX_WEBHOOK_URL_LENGTH } from '@inbox/server';
import { isoRequired } from '../common/iso.js';

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
  .meta({ description: `Event types to receive: ${EVENT_TYPES.join(', ')}`, example: ['message.delivered', 'message.read', 'message.failed'] });

const descriptionField = storableText('description')
  .max(MAX_DESCRIPTION_LENGTH, { error: `description must be at most ${MAX_DESCRIPTION_LENGTH} characters` })
  .nullable()
  .optional()
  .meta({ example: 'Production webhook endpoint' });

/** The docs' register body: `{url, events, description?}`; nothing else. */
export const createWebhookSchema = z
  .strictObject({ url: urlField, events: eventsField, description: descriptionField })
  .meta({
    id: 'CreateWebhookRequest',
    example: {
      url: 'https://yourapp.com/webhooks/inbox',
      events: ['message.delivered', 'message.read', 'message.failed'],
      description: 'Production webhook endpoint',
    },
  });

/** PUT replaces url, events and description (absent = none); `status` enables or disables it. */
export const updateWebhookSchema = z
  .strictObject({
    url: urlField,
    events: eventsField,
    description: descriptionField,
    status: z.enum(['enabled', 'disabled']).optional().meta({ description: 'Left as it is when absent' }),
  })
  .meta({
    id: 'UpdateWebhookRequest',
    example: { url: 'https://yourapp.com/webhooks/inbox', events: ['message.delivered'], description: 'Production webhook endpoint', status: 'disabled' },
  });

/** The docs' test body: `{webhook_id, event_type}`. */
export const testWebhookSchema = z
  .strictObject({
    webhook_id: z.string().min(1).max(255).meta({ example: 'wh_1234567890' }),
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
    created_at: z.string().meta({ example: '2025-01-15T10:25:03.000Z' }),
    updated_at: z.string().meta({ example: '2025-01-15T10:25:03.000Z' }),
  })
  .meta({ id: 'Webhook' });

export const webhookWithSecretSchema = webhookSchema
  .extend({ secret: z.string().meta({ description: 'Signing secret; also at GET /v1/webhooks/{id}/secret', example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }) })
  .meta({ id: 'WebhookWithSecret' });

export const webhookPageSchema = z.object({ data: z.array(webhookSchema), next_cursor: z.string().nullable() }).meta({ id: 'WebhookPage' });
export const webhookSecretSchema = z.object({ secret: z.string().meta({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }) }).meta({ id: 'WebhookSecret' });
export const testAcceptedSchema = z
  .object({ event_id: z.string().meta({ example: 'evt_01JD0Y6J6R8Z3Q4W5E6R7T8Y9U' }), delivery_id: z.string().meta({ example: 'dlv_01JD0Y6J6R8Z3Q4W5E6R7T8Y9U' }) })
  .meta({ id: 'TestAccepted' });

export type WebhookResponse = z.infer<typeof webhookSchema>;

export function presentWebhook(w: WebhookRecord): WebhookResponse {
  return {
    id: w.id,
    url: w.url,
    events: w.events as WebhookResponse['events'],
    description: w.description,
    status: w.status,
    created_at: isoRequired(w.createdAt),
    updated_at: isoRequired(w.updatedAt),
  };
}
