const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * Parses a duration such as `0`, `250ms`, `30s`, `2m`, `2h`. A bare number is milliseconds.
 * Returns undefined when the text is not a duration, so callers can report it with context.
 */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]);
  const unit = (match[2] ?? 'ms') as keyof typeof UNIT_MS;
  return Math.round(value * UNIT_MS[unit]);
}

/** Parses `0,30s,2m,...`: one delay per attempt, each counted from the previous failure. */
export function parseRetrySchedule(text: string): number[] | undefined {
  const parts = text.split(',');
  const delays = parts.map(parseDuration);
  if (delays.length === 0 || delays.some((d) => d === undefined)) return undefined;
  return delays as number[];
}

/** A duration in words, in its largest whole unit: `30 days`, `12 hours`, `90 seconds`, `1 day`. */
export function formatDuration(ms: number): string {
  const units: Array<[string, number]> = [['day', UNIT_MS.d], ['hour', UNIT_MS.h], ['minute', UNIT_MS.m], ['second', UNIT_MS.s]];
  const [unit, size] = units.find(([, size]) => ms % size === 0 && ms >= size) ?? ['millisecond', 1];
  const n = ms / size;
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}
