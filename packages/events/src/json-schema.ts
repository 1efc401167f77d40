import { z } from 'zod';
import { eventSchemas, webhookEventSchema, type EventType } from './schemas.js';

/**
 * JSON Schema (draft 2020-12) of a webhook event: a `oneOf` of the envelopes of every event type,
 * for consumers that don't use TypeScript. Also shipped as `@inbox/events/webhook-event.schema.json`.
 * A fresh object on every call, safe to modify.
 */
export function webhookEventJsonSchema(): z.core.JSONSchema.BaseSchema {
  return titled(z.toJSONSchema(webhookEventSchema, { target: 'draft-2020-12' }), 'Inbox webhook event');
}

/** JSON Schema (draft 2020-12) of one event type's envelope. A fresh object on every call. */
export function eventJsonSchema(type: EventType): z.core.JSONSchema.BaseSchema {
  return titled(z.toJSONSchema(eventSchemas[type], { target: 'draft-2020-12' }), `Inbox ${type} event`);
}

function titled(schema: z.core.JSONSchema.BaseSchema, title: string): z.core.JSONSchema.BaseSchema {
  const { $schema, ...rest } = schema;
  return {
    $schema,
    title,
    description:
      'The JSON body of an Inbox webhook delivery. The envelope is closed (no extra keys); ' +
      'data objects may gain new keys over time.',
    ...rest,
  };
}
