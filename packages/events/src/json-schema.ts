import { z } from 'zod';
import { webhookEventSchema } from './schemas.js';

/**
 * JSON Schema (draft 2020-12) of a webhook event: a `oneOf` of the four envelopes, for consumers
 * that don't use TypeScript. Also shipped as `@inbox/events/webhook-event.schema.json`.
 * A fresh object on every call, safe to modify.
 */
export function webhookEventJsonSchema(): z.core.JSONSchema.BaseSchema {
  const schema = z.toJSONSchema(webhookEventSchema, { target: 'draft-2020-12' });
  const { $schema, ...rest } = schema;
  return {
    $schema,
    title: 'Inbox webhook event',
    description:
      'The JSON body of an Inbox webhook delivery. The envelope is closed (no extra keys); ' +
      'data objects may gain new keys over time.',
    ...rest,
  };
}
