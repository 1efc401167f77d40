import { z } from 'zod';
import { eventCatalog, eventTypeSchema } from '@inbox/events';

/** The catalog, built once from @inbox/events: the same for every account, never changed. */
const CATALOG = eventCatalog();

export const eventTypeInfoSchema = z
  .object({
    type: eventTypeSchema,
    description: z.string(),
    schema: z.record(z.string(), z.unknown()).meta({ description: 'JSON Schema (draft 2020-12) of the whole event, envelope and `data`' }),
    example: z.record(z.string(), z.unknown()).meta({ description: 'An event of this type, as your endpoint receives it' }),
  })
  .meta({ id: 'EventTypeInfo', example: CATALOG.find((entry) => entry.type === 'webhook.disabled') });

export const eventTypeListSchema = z
  .object({ data: z.array(eventTypeInfoSchema) })
  .meta({ id: 'EventTypeList', example: { data: CATALOG.filter((entry) => entry.type === 'message.delivered') } });

export type EventTypeList = z.infer<typeof eventTypeListSchema>;

/** `GET /v1/event-types`: every event type a webhook may subscribe to, in `events` order. */
export const EVENT_TYPE_LIST: EventTypeList = { data: CATALOG };
