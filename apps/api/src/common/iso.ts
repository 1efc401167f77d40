/** Timestamps in responses: ISO-8601 UTC, or null. */
export function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}

/** Like `iso`, for columns that are never null. */
export function isoRequired(date: Date): string {
  return date.toISOString();
}
