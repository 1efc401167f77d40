import { z } from 'zod';
import {
  eventDataSchemas,
  eventTypeSchema,
  webhookEventSchema,
  type EventData,
  type EventType,
  type WebhookEvent,
} from './schemas.js';

/** Validates a webhook event (the parsed JSON body). Throws a `ZodError` naming every bad field. */
export function parseEvent(input: unknown): WebhookEvent {
  return webhookEventSchema.parse(input);
}

/** Like `parseEvent`, without throwing: `{success: true, data}` or `{success: false, error}`. */
export function safeParseEvent(input: unknown): z.ZodSafeParseResult<WebhookEvent> {
  return webhookEventSchema.safeParse(input);
}

const typeOnlySchema = z.object({ type: eventTypeSchema });

// `{data}` wrappers so that issue paths read `data.to`, as they do for a whole event.
const dataEnvelopes = new Map<string, z.ZodType<{ data: unknown }>>(
  Object.entries(eventDataSchemas).map(([type, schema]) => [type, z.object({ data: schema })]),
);

/**
 * Validates the `data` of an event of type `type` and returns it typed.
 *
 * Throws a `ZodError` whose issue paths are those of a whole event (`data.to`,
 * `data.action_data.button_id`; `type` when `type` is not an event type), so that
 * `formatIssues` output fits a request body of the form `{type, data}` as is.
 */
export function parseEventData<T extends EventType>(type: T, data: unknown): EventData<T> {
  typeOnlySchema.parse({ type });
  const schema = dataEnvelopes.get(type);
  if (!schema) throw new Error(`unreachable: no data schema for ${type}`);
  return schema.parse({ data }).data as EventData<T>;
}

export interface FormattedIssue {
  /** Dotted path of the offending field, e.g. `data.to` or `data.items.0.id`; `''` for the root. */
  path: string;
  message: string;
}

/**
 * The issues `formatIssues` reads: a `ZodError`, or any Standard Schema failure (whose path
 * segments may be `{key}` objects). zod names the unknown keys of a strict object in `keys`.
 */
export interface IssueList {
  readonly issues: ReadonlyArray<{
    readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }>;
    readonly message: string;
    readonly code?: string;
    readonly keys?: readonly string[];
  }>;
}

/**
 * Flattens a `ZodError` (or any Standard Schema failure) for API error bodies: one entry per issue,
 * with a dotted path. An unknown key in a strict object gives one entry per key, at that key's path.
 */
export function formatIssues(error: IssueList): FormattedIssue[] {
  const out: FormattedIssue[] = [];
  for (const issue of error.issues) {
    const path = (issue.path ?? []).map((segment) => String(typeof segment === 'object' ? segment.key : segment));
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      for (const key of issue.keys) {
        out.push({ path: [...path, key].join('.'), message: `unknown field "${key}"` });
      }
    } else {
      out.push({ path: path.join('.'), message: issue.message });
    }
  }
  return out;
}
