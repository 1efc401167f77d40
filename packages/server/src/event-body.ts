/** The envelope receivers get, in the docs' key order. */
export interface EventEnvelope {
  id: string;
  type: string;
  created_at: string;
  data: unknown;
}

/**
 * Serializes an event ONCE, where it is made (the API's ingest and test events, the dispatcher's
 * operational events): these bytes are stored and sent verbatim on every attempt.
 */
export function serializeEvent(event: EventEnvelope): string {
  return JSON.stringify({ id: event.id, type: event.type, created_at: event.created_at, data: event.data });
}

/** Now, as the docs print timestamps: ISO-8601 UTC to the second (`2025-01-15T10:25:03Z`). */
export function nowTimestamp(now = new Date()): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
