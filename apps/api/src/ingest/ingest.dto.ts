import { z } from 'zod';
import { isId } from '@inbox/db';
import { eventDataSchemas, eventIdSchema, exampleEvents, isEventType, isMessageEventType, MESSAGE_EVENT_TYPES, timestampSchema, type MessageEventType } from '@inbox/events';

export const MAX_BATCH_EVENTS = 500;

const accountIdSchema = z.string().refine((v) => isId('account', v), { error: 'account_id must be an account id (acct_…)' });
/** @inbox/events' event id, typed as an EventId (every id it accepts is one). */
const ingestEventIdSchema = eventIdSchema.refine((v) => isId('event', v), { error: 'id must be an event id (evt_…)', when: (payload) => payload.issues.length === 0 });

function ingestItem<T extends MessageEventType>(type: T) {
  return z.strictObject({
    id: ingestEventIdSchema.optional().meta({ description: 'Your event id (evt_…); a repeat with the same id is answered like the first and delivers nothing new. Generated when absent.' }),
    account_id: accountIdSchema,
    type: z.literal(type),
    data: eventDataSchemas[type],
    created_at: timestampSchema.optional().meta({ description: 'When it happened (ISO-8601 UTC). Default: now.' }),
  });
}

/** The type of an operational event (`webhook.disabled`): Inbox makes those itself, services never send them. */
function operationalTypeError(issue: { input?: unknown }): string | undefined {
  const type = (issue.input as { type?: unknown } | undefined)?.type;
  if (!isEventType(type) || isMessageEventType(type)) return undefined;
  return `type ${type} is sent by Inbox itself; services send only ${MESSAGE_EVENT_TYPES.join(', ')}`;
}

/** One event from an internal service: a message event in the docs' envelope, plus the account it belongs to. */
export const ingestEventSchema = z
  .discriminatedUnion(
    'type',
    [ingestItem('message.delivered'), ingestItem('message.read'), ingestItem('message.failed'), ingestItem('message.action')],
    { error: operationalTypeError },
  )
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
        index: z.number().int().meta({ description: "The item's position in `events`", example: 0 }),
        id: z.string().meta({ example: 'evt_1234567890' }),
        status: z.enum(['accepted', 'duplicate', 'rejected']),
        deliveries: z.number().int().optional().meta({ example: 2 }),
        error: z.object({ code: z.string(), message: z.string() }).optional(),
      }),
    ),
  })
  .meta({ id: 'IngestBatchResult' });

export type IngestAccepted = z.infer<typeof ingestAcceptedSchema>;
export type IngestBatchResult = z.infer<typeof ingestBatchResultSchema>;
