import { z } from 'zod';
import { timestampInRange } from '@inbox/events';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The longest window one recover may cover. */
export const MAX_RECOVER_WINDOW_DAYS = 14;

export const resendEventSchema = z
  .strictObject({
    event_id: z
      .string()
      .min(1)
      .max(255)
      .meta({ description: 'An event already sent to this webhook', example: 'evt_1234567890' }),
  })
  .meta({ id: 'ResendEventRequest', example: { event_id: 'evt_1234567890' } });

export type ResendEventBody = z.infer<typeof resendEventSchema>;

const instant = (name: string) =>
  z.iso
    .datetime({ offset: true, error: `${name} must be an ISO-8601 timestamp such as 2025-01-15T10:25:03Z` })
    .check(timestampInRange(name));

/**
 * `{since, until?}` as the window `[since, until)` of event creation times; `until` defaults to now
 * (when the request is read). The window must be non-empty, at most MAX_RECOVER_WINDOW_DAYS long,
 * (and start within INBOX_RETENTION, which ResendService checks against the config): each broken
 * rule names its field.
 */
export const recoverSchema = z
  .strictObject({
    since: instant('since').meta({
      description: 'Events created at or after this time',
      example: '2025-01-15T00:00:00Z',
    }),
    until: instant('until')
      .optional()
      .meta({ description: 'Events created before this time. Default: now', example: '2025-01-16T00:00:00Z' }),
  })
  .transform(({ since, until }) => ({
    since: new Date(since),
    until: until === undefined ? new Date() : new Date(until),
  }))
  .check((ctx) => {
    const { since, until } = ctx.value;
    const issue = (path: 'since' | 'until', message: string) =>
      ctx.issues.push({ code: 'custom', input: ctx.value, path: [path], message });
    if (until <= since) issue('until', 'until must be after since');
    else if (until.getTime() - since.getTime() > MAX_RECOVER_WINDOW_DAYS * DAY_MS)
      issue('since', `since must be at most ${MAX_RECOVER_WINDOW_DAYS} days before until`);
  })
  .meta({ id: 'RecoverRequest', example: { since: '2025-01-15T00:00:00Z', until: '2025-01-16T00:00:00Z' } });

export type RecoverBody = z.output<typeof recoverSchema>;

export const resendAcceptedSchema = z
  .object({
    delivery_id: z
      .string()
      .meta({
        description: 'The new delivery: its attempts appear in the logs under this id',
        example: 'dlv_01JD0Y6J6R8Z3Q4W5E6R7T8Y9U',
      }),
  })
  .meta({ id: 'ResendAccepted', example: { delivery_id: 'dlv_01JD0Y6J6R8Z3Q4W5E6R7T8Y9U' } });

export const recoverAcceptedSchema = z
  .object({
    deliveries: z
      .number()
      .int()
      .meta({ description: 'How many failed events were sent again (one new delivery each)', example: 12 }),
  })
  .meta({ id: 'RecoverAccepted', example: { deliveries: 12 } });
