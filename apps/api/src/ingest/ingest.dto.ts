import { z } from 'zod';
import { isId } from '@inbox/db';
import { eventDataSchemas, eventIdSchema, exampleEvents, timestampSchema, type EventType } from '@inbox/events';

export const MAX_BATCH_EVENTS = 500;

const accountIdSchema = z.string().refine((v) => isId('account', v), { error: 'account_id must be an account id (acct_…)' });
/** @inbox/events' event id, typed as an EventId (every id it accepts is one). */
const ingestEventIdSchema = eventIdSchema.refine((v) => isId('event', v), { error: 'id must be an event id (evt_…)', when: (payload) => payload.issues.length === 0 });

function ingestItem<T extends EventType>(type: T) {
  return z.strictObject({
    id: ingestEventIdSchema.optional().meta({ description: 'Your event id (evt_…); a repeat with the same id is answered like the first and delivers nothing new. Generated when absent.' }),
    account_id: accountIdSchema,
    type: z.literal(type),
    data: eventDataSchemas[type],
    created_at: timestampSchema.optional().meta({ description: 'When it happened (ISO-8601 UTC). Default: now.' }),
  });
}

/** One event from an internal service: the docs' envelope plus the account it belongs to. */
export const ingestEventSchema = z
  .discriminatedUnion('type', [
    ingestItem('message.delivered'),
    ingestItem('message.read'),
    ingestItem('message.failed'),
    ingestItem('message.action'),
  ])
  .meta({
    id: 'IngestEventRequest',
    example: { ...exampleEvents['message.delivered'], account_id: 'acct_01JD0Y6J6R8Z3Q4W5E6R7T8Y9U' },
  });

export type IngestEvent = z.infer<typeof ingestEventSchema>;

export const ingestBatchSchema = z
  .strictObject({
    events: z
      .array(ingestEventSchema)
      .min(1, { error: 'events must hold at least 1 event' })
      .max(MAX_BATCH_EVENTS, { error: `events must hold at most ${MAX_BATCH_EVENTS} events` }),
  })
  .meta({ id: 'IngestBatchRequest' });

export type IngestBatch = z.infer<typeof ingestBatchSchema>;

export const ingestAcceptedSchema = z
  .object({
    id: z.string().meta({ example: 'evt_1234567890' }),
    deliveries: z.number().int().meta({ description: 'How many deliveries the event made (one per subscribed enabled webhook)', example: 2 }),
  })
  .meta({ id: 'IngestAccepted' });

export const ingestBatchResultSchema = z
  .object({
    results: z.array(
      z.object({
        index: z.number().int(),
        id: z.string(),
        status: z.enum(['accepted', 'duplicate', 'rejected']),
        deliveries: z.number().int().optional(),
        error: z.object({ code: z.string(), message: z.string() }).optional(),
      }),
    ),
  })
  .meta({ id: 'IngestBatchResult' });

export type IngestAccepted = z.infer<typeof ingestAcceptedSchema>;
export type IngestBatchResult = z.infer<typeof ingestBatchResultSchema>;
