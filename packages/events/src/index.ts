export {
  EVENT_TYPES,
  isEventType,
  eventTypeSchema,
  eventIdSchema,
  messageIdSchema,
  deviceIdSchema,
  phoneNumberSchema,
  timestampSchema,
  messageDeliveredDataSchema,
  messageReadDataSchema,
  messageFailedDataSchema,
  messageActionDataSchema,
  eventDataSchemas,
  messageDeliveredEventSchema,
  messageReadEventSchema,
  messageFailedEventSchema,
  messageActionEventSchema,
  webhookEventSchema,
} from './schemas.js';
export type {
  EventType,
  WebhookEvent,
  MessageDeliveredEvent,
  MessageReadEvent,
  MessageFailedEvent,
  MessageActionEvent,
  EventOfType,
  EventData,
} from './schemas.js';
export { exampleEvents } from './examples.js';
export { isStorableText, storableText, unstorableTextMessage, TIMESTAMP_RANGE, isTimestampInRange, timestampInRange } from './storable.js';
export { DATA_LIMITS, findDataLimitProblems, withinDataLimits } from './data-limits.js';
export type { DataLimitProblem } from './data-limits.js';
export { parseEvent, safeParseEvent, parseEventData, formatIssues } from './parse.js';
export type { FormattedIssue, IssueList } from './parse.js';
export { webhookEventJsonSchema } from './json-schema.js';
