import { z } from 'zod';

/** A UTF-16 surrogate that is not half of a pair: it has no UTF-8 encoding. */
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * True when `text` can be stored and read back exactly as sent: no NUL (Postgres `text` and `jsonb`
 * refuse it) and no unpaired surrogate (stored as U+FFFD, not what was sent).
 */
export function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && !UNPAIRED_SURROGATE.test(text);
}

/** The error message for unstorable text, `what` naming the field. */
export function unstorableTextMessage(what: string): string {
  return `${what} must not contain NUL (\\u0000) or unpaired surrogate characters`;
}

/** A string of storable text (`isStorableText`); `what` names the field in the error message. Chain `.min`/`.max` on it. */
export function storableText(what: string) {
  return z.string().refine(isStorableText, { error: unstorableTextMessage(what) });
}

/**
 * The instants a timestamp may name: from the Unix epoch (nothing the platform reports happened
 * before it) to the last moment of year 9999 (four-digit years, as ISO-8601 and JSON Schema's
 * `date-time` write them; Postgres has no year 0 and JavaScript dates end in 275760).
 */
export const TIMESTAMP_RANGE = { min: '1970-01-01T00:00:00Z', max: '9999-12-31T23:59:59.999Z' } as const;

const minMs = Date.parse(TIMESTAMP_RANGE.min);
const maxMs = Date.parse(TIMESTAMP_RANGE.max);

/** True when `ms` (milliseconds since the epoch) lies within TIMESTAMP_RANGE. */
export function isTimestampInRange(ms: number): boolean {
  return ms >= minMs && ms <= maxMs;
}

/**
 * A check for an ISO-8601 string schema (`z.iso.datetime(…).check(timestampInRange('since'))`): the
 * instant lies within TIMESTAMP_RANGE. Runs only once the format is right.
 */
export function timestampInRange(what: string) {
  return z.refine<string>((value) => isTimestampInRange(Date.parse(value)), {
    error: `${what} must be from ${TIMESTAMP_RANGE.min} to ${TIMESTAMP_RANGE.max}`,
    when: (payload) => payload.issues.length === 0,
  });
}
