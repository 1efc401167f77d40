import { exampleEvents } from './examples.js';
import { eventJsonSchema } from './json-schema.js';
import { EVENT_TYPES, type EventOfType, type EventType } from './schemas.js';

/** What each event type reports: the docs' sentence for the message events. */
export const eventDescriptions: { readonly [T in EventType]: string } = Object.freeze({
  'message.delivered': "Triggered when a message is successfully delivered to the recipient's device.",
  'message.read': 'Triggered when a recipient opens and reads a message.',
  'message.failed': 'Triggered when a message fails to deliver after all retry attempts.',
  'message.action': 'Triggered when a recipient interacts with action buttons in a message.',
  'webhook.disabled':
    'Triggered when Inbox disables one of your webhooks: every attempt to it failed for too long (reason "failing"), ' +
    'or it answered 410 Gone (reason "gone"). Sent to your other enabled webhooks that subscribe to it; ' +
    'the disabled one gets nothing more until you enable it again.',
});

/** One entry of the event catalog: a type customers may subscribe to, with its JSON Schema and an example. */
export interface EventTypeInfo<T extends EventType = EventType> {
  type: T;
  description: string;
  /** JSON Schema (draft 2020-12) of the whole event, envelope and data. */
  schema: Record<string, unknown>;
  example: EventOfType<T>;
}

/** Every event type a webhook may subscribe to, in EVENT_TYPES order. Fresh objects on every call. */
export function eventCatalog(): EventTypeInfo[] {
  return EVENT_TYPES.map((type) => ({
    type,
    description: eventDescriptions[type],
    schema: eventJsonSchema(type),
    example: structuredClone(exampleEvents[type]),
  }));
}
