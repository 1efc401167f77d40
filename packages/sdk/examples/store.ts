// A stand-in for your database, shared by the examples. In a real app these are tables: one row
// per message, and one row per processed event id (a unique key), written in the same transaction.

export interface MessageStatus {
  status: string;
  at: string;
}

export const messages = new Map<string, MessageStatus>();
/** Every status change applied, in order (the tests read it to see that duplicates are skipped). */
export const history: string[] = [];
const processedEventIds = new Set<string>();

/**
 * Runs `work` once per event id. Inbox delivers at least once: a retry after a lost 200, or a
 * replay, carries the same event id (`event.id`, also the `webhook-id` header), so a repeat is skipped.
 */
export async function once(eventId: string, work: () => Promise<void> | void): Promise<void> {
  if (processedEventIds.has(eventId)) return;
  await work();
  // Recorded after the work: if the work throws, the 500 makes Inbox retry and the retry runs it again.
  processedEventIds.add(eventId);
}

export function setStatus(messageId: string, status: string, at: string): void {
  messages.set(messageId, { status, at });
  history.push(`${messageId} ${status}`);
}
