export {
  EVENT_TYPES,
  MESSAGE_EVENT_TYPES,
  OPERATIONAL_EVENT_TYPES,
  WEBHOOK_DISABLED_REASONS,
  isEventType,
  isMessageEventType,
  eventTypeSchema,
  eventIdSchema,
  messageIdSchema,
  deviceIdSchema,
  webhookIdSchema,
  phoneNumberSchema,
  timestampSchema,
  messageDeliveredDataSchema,
  messageReadDataSchema,
  messageFailedDataSchema,
  messageActionDataSchema,
  webhookDisabledDataSchema,
  eventDataSchemas,
  messageDeliveredEventSchema,
  messageReadEventSchema,
  messageFailedEventSchema,
  messageActionEventSchema,
  webhookDisabledEventSchema,
  eventSchemas,
  webhookEventSchema,
} from './schemas.js';
export type {
  EventType,
  MessageEventType,
  OperationalEventType,
  WebhookEvent,
  MessageDeliveredEvent,
  MessageReadEvent,
  MessageFailedEvent,
  MessageActionEvent,
  WebhookDisabledEvent,
  WebhookDisabledReason,
  EventOfType,
  EventData,
} from './schemas.js';
export { exampleEvents } from './examples.js';
export { isStorableText, storableText, unstorableTextMessage, TIMESTAMP_RANGE, isTimestampInRange, timestampInRange } from './storable.js';
export { DATA_LIMITS, findDataLimitProblems, withinDataLimits } from './data-limits.js';
export type { DataLimitProblem } from './data-limits.js';
export { parseEvent, safeParseEvent, parseEventData, formatIssues } from './parse.js';
export type { FormattedIssue, IssueList } from './parse.js';
export { webhookEventJsonSchema, eventJsonSchema } from './json-schema.js';
export { eventCatalog, eventDescriptions } from './catalog.js';
export type { EventTypeInfo } from './catalog.js';
