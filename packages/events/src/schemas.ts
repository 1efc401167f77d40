import { z } from 'zod';
import { DATA_LIMITS, withinDataLimits } from './data-limits.js';
import { storableText, TIMESTAMP_RANGE, timestampInRange } from './storable.js';

/**
 * The message events, in the order of the public docs page: what internal services report (and
 * the only types they may ingest).
 */
export const MESSAGE_EVENT_TYPES = ['message.delivered', 'message.read', 'message.failed', 'message.action'] as const;

/** Operational events: made by the platform itself about a customer's webhooks, never ingested. */
export const OPERATIONAL_EVENT_TYPES = ['webhook.disabled'] as const;

/** Every event type the platform sends, and a webhook may subscribe to: the message events, then the operational ones. */
export const EVENT_TYPES = [...MESSAGE_EVENT_TYPES, ...OPERATIONAL_EVENT_TYPES] as const;

export type EventType = (typeof EVENT_TYPES)[number];
export type MessageEventType = (typeof MESSAGE_EVENT_TYPES)[number];
export type OperationalEventType = (typeof OPERATIONAL_EVENT_TYPES)[number];

const eventTypeSet: ReadonlySet<string> = new Set(EVENT_TYPES);
const messageEventTypeSet: ReadonlySet<string> = new Set(MESSAGE_EVENT_TYPES);

export function isEventType(x: unknown): x is EventType {
  return typeof x === 'string' && eventTypeSet.has(x);
}

/** Whether `x` is a message event type (one internal services may ingest). */
export function isMessageEventType(x: unknown): x is MessageEventType {
  return typeof x === 'string' && messageEventTypeSet.has(x);
}

/** `z.enum(EVENT_TYPES)`: for request bodies that name event types (e.g. a webhook's `events`). */
export const eventTypeSchema = z.enum(EVENT_TYPES);

// ---------------------------------------------------------------------------------------------
// Primitives
// ---------------------------------------------------------------------------------------------

/** Longest id accepted, prefix included; keeps ids bounded for storage and logs. */
const MAX_ID_LENGTH = 255;

function prefixedId(prefix: string, what: string) {
  const pattern = new RegExp(`^${prefix}[A-Za-z0-9_-]+$`);
  return z
    .string()
    .max(MAX_ID_LENGTH, { error: `${what} must be at most ${MAX_ID_LENGTH} characters` })
    .regex(pattern, { error: `${what} must be "${prefix}" followed by letters, digits, "_" or "-"` });
}

/** `evt_…`: an event id. Receivers deduplicate on it (every retry carries the same one). */
export const eventIdSchema = prefixedId('evt_', 'event id');
/** `msg_…`: a message id. */
export const messageIdSchema = prefixedId('msg_', 'message id');
/** `dev_…`: a recipient device id. */
export const deviceIdSchema = prefixedId('dev_', 'device id');
/** `wh_…`: a webhook id. */
export const webhookIdSchema = prefixedId('wh_', 'webhook id');

/** E.164: `+`, then 8 to 15 digits, the first not 0 (e.g. `+15551234567`). */
export const phoneNumberSchema = z.string().regex(/^\+[1-9][0-9]{7,14}$/, {
  error: 'phone number must be E.164: "+" then 8 to 15 digits, the first not 0 (e.g. +15551234567)',
});

/**
 * ISO-8601 date-time in UTC ending in `Z`, seconds required, fractional seconds allowed
 * (`2025-01-15T10:25:03Z`, `2025-01-15T10:25:03.123Z`). Offsets such as `+00:00` are refused, and
 * so are instants outside TIMESTAMP_RANGE (1970 to 9999).
 */
export const timestampSchema = z.iso
  .datetime({ error: 'timestamp must be ISO-8601 UTC ending in "Z", e.g. 2025-01-15T10:25:03Z' })
  .check(timestampInRange('timestamp'))
  .meta({ description: `ISO-8601 UTC ending in "Z", from ${TIMESTAMP_RANGE.min} to ${TIMESTAMP_RANGE.max}` });

/** Longest short machine-readable string (an error code, an action, a button id). */
const MAX_NAME_LENGTH = 255;

/** A short machine-readable string: storable text, 1 to MAX_NAME_LENGTH characters. */
function nameText(what: string) {
  return storableText(what)
    .min(1, { error: `${what} must not be empty` })
    .max(MAX_NAME_LENGTH, { error: `${what} must be at most ${MAX_NAME_LENGTH} characters` });
}

// ---------------------------------------------------------------------------------------------
// Event data
// ---------------------------------------------------------------------------------------------

/**
 * A data object: every documented field is required and checked, and unknown extra keys pass
 * through untouched (runtime `z.looseObject`), so the platform can add fields later without
 * breaking receivers that validate with an older version of this package.
 *
 * Its static type lists only the documented fields. TypeScript object types are open anyway; leaving
 * out the `[k: string]: unknown` index signature that `z.looseObject` would infer keeps a typo such
 * as `data.deliverd_at` a compile error instead of a silent `unknown`.
 */
function openObject<S extends z.core.$ZodShape>(shape: S): z.ZodObject<S, z.core.$strip> {
  return z.looseObject(shape) as unknown as z.ZodObject<S, z.core.$strip>;
}

/**
 * An event's `data`: an open object whose every part, named by the schema or not, keeps to
 * DATA_LIMITS. The limits are checked once the documented fields are right.
 */
function eventData<S extends z.core.$ZodShape>(shape: S): z.ZodObject<S, z.core.$strip> {
  return openObject(shape).check(withinDataLimits);
}

export const messageDeliveredDataSchema = eventData({
  message_id: messageIdSchema,
  to: phoneNumberSchema,
  delivered_at: timestampSchema,
  device_id: deviceIdSchema,
});

export const messageReadDataSchema = eventData({
  message_id: messageIdSchema,
  to: phoneNumberSchema,
  read_at: timestampSchema,
  device_id: deviceIdSchema,
});

export const messageFailedDataSchema = eventData({
  message_id: messageIdSchema,
  to: phoneNumberSchema,
  /** Machine-readable reason, e.g. `recipient_unreachable`. */
  error_code: nameText('error_code'),
  /** Human-readable reason. */
  error_message: storableText('error_message').max(DATA_LIMITS.stringLength, {
    error: `error_message must be at most ${DATA_LIMITS.stringLength} characters`,
  }),
  failed_at: timestampSchema,
});

export const messageActionDataSchema = eventData({
  message_id: messageIdSchema,
  to: phoneNumberSchema,
  /** The action the recipient took, e.g. `confirm`. */
  action: nameText('action'),
  action_data: openObject({
    /** The id of the button that was pressed. */
    button_id: nameText('button_id'),
    /** Whatever the sender attached to the button; any JSON object within DATA_LIMITS. */
    custom_data: z.record(z.string(), z.unknown()).optional(),
  }),
  clicked_at: timestampSchema,
});

/**
 * Why the platform disabled a webhook: `failing` (every attempt failed for the configured time) or
 * `gone` (the endpoint answered 410 Gone).
 */
export const WEBHOOK_DISABLED_REASONS = ['failing', 'gone'] as const;

export const webhookDisabledDataSchema = eventData({
  /** The webhook that was disabled; it gets nothing more until it is enabled again. */
  webhook_id: webhookIdSchema,
  /** Its endpoint URL. */
  url: storableText('url')
    .min(1, { error: 'url must not be empty' })
    .max(DATA_LIMITS.stringLength, { error: `url must be at most ${DATA_LIMITS.stringLength} characters` }),
  reason: z.enum(WEBHOOK_DISABLED_REASONS, { error: `reason must be one of ${WEBHOOK_DISABLED_REASONS.join(', ')}` }),
  disabled_at: timestampSchema,
});

/** The data schema of each event type. */
export const eventDataSchemas = {
  'message.delivered': messageDeliveredDataSchema,
  'message.read': messageReadDataSchema,
  'message.failed': messageFailedDataSchema,
  'message.action': messageActionDataSchema,
  'webhook.disabled': webhookDisabledDataSchema,
} as const satisfies { [T in EventType]: z.ZodType };

// ---------------------------------------------------------------------------------------------
// Envelopes
// ---------------------------------------------------------------------------------------------

/**
 * The envelope is strict: exactly `id`, `type`, `created_at` and `data`, an unknown key is an error
 * (extension happens inside `data`, which lets unknown keys through).
 */
function envelope<T extends EventType, D extends z.ZodType>(type: T, data: D) {
  return z.strictObject({
    id: eventIdSchema,
    type: z.literal(type),
    created_at: timestampSchema,
    data,
  });
}

export const messageDeliveredEventSchema = envelope('message.delivered', messageDeliveredDataSchema);
export const messageReadEventSchema = envelope('message.read', messageReadDataSchema);
export const messageFailedEventSchema = envelope('message.failed', messageFailedDataSchema);
export const messageActionEventSchema = envelope('message.action', messageActionDataSchema);
export const webhookDisabledEventSchema = envelope('webhook.disabled', webhookDisabledDataSchema);

/** The envelope schema of each event type. */
export const eventSchemas = {
  'message.delivered': messageDeliveredEventSchema,
  'message.read': messageReadEventSchema,
  'message.failed': messageFailedEventSchema,
  'message.action': messageActionEventSchema,
  'webhook.disabled': webhookDisabledEventSchema,
} as const satisfies { [T in EventType]: z.ZodType };

/** Any webhook event, discriminated on `type`. */
export const webhookEventSchema = z.discriminatedUnion('type', [
  messageDeliveredEventSchema,
  messageReadEventSchema,
  messageFailedEventSchema,
  messageActionEventSchema,
  webhookDisabledEventSchema,
]);

export type WebhookEvent = z.output<typeof webhookEventSchema>;
export type MessageDeliveredEvent = z.output<typeof messageDeliveredEventSchema>;
export type MessageReadEvent = z.output<typeof messageReadEventSchema>;
export type MessageFailedEvent = z.output<typeof messageFailedEventSchema>;
export type MessageActionEvent = z.output<typeof messageActionEventSchema>;
export type WebhookDisabledEvent = z.output<typeof webhookDisabledEventSchema>;
export type WebhookDisabledReason = (typeof WEBHOOK_DISABLED_REASONS)[number];

/** The event of one type, e.g. `EventOfType<'message.read'>` is `MessageReadEvent`. */
export type EventOfType<T extends EventType> = Extract<WebhookEvent, { type: T }>;

/** The `data` of one event type. */
export type EventData<T extends EventType> = z.output<(typeof eventDataSchemas)[T]>;
