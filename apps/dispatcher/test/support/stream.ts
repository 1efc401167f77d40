import { exampleEvents } from '@inbox/events';
import type { Receiver, ReceivedRequest } from '@inbox/testing';
import type { ApiClient } from './api-client.js';
import { waitFor } from './wait.js';

const INGEST_CONCURRENCY = 8;

/**
 * Ingests `count` events of `accountId` through the API (`concurrency` callers), calling `chaos`
 * once `chaosAfter` were accepted (202). Returns the accepted events' ids.
 */
export async function ingestWithChaos(
  client: ApiClient,
  accountId: string,
  count: number,
  chaosAfter: number,
  chaos: () => Promise<void>,
  concurrency = INGEST_CONCURRENCY,
): Promise<string[]> {
  const accepted: string[] = [];
  let next = 0;
  let chaosDone: Promise<void> | undefined;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      accepted.push(await client.ingest({ account_id: accountId, type: 'message.delivered', data: { ...exampleEvents['message.delivered'].data, message_id: `msg_${i}` } }));
      if (accepted.length === chaosAfter) chaosDone = chaos();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await chaosDone;
  return accepted;
}

/**
 * Waits until each accepted event arrived at `receiver` (in a request `answeredOk` counts) at least
 * once, and logs the duplicates (delivery is at least once). On time-out, `diagnose` adds state.
 */
export async function expectAllArrived(
  receiver: Receiver,
  label: string,
  accepted: string[],
  { answeredOk = () => true, diagnose = async () => '' }: { answeredOk?: (r: ReceivedRequest) => boolean; diagnose?: () => Promise<string> } = {},
): Promise<void> {
  const arrivals = () => {
    const counts = new Map<string, number>();
    for (const r of receiver.requests.filter(answeredOk)) {
      const id = r.headers['x-inbox-event-id'] as string;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  };
  const missing = () => accepted.filter((id) => !arrivals().has(id));
  await waitFor(`every accepted event to arrive (${label})`, () => missing().length === 0, { timeoutMs: 60_000, intervalMs: 200 }).catch(async (error: Error) => {
    throw new Error(`${error.message}; still missing ${missing().length} of ${accepted.length}; ${await diagnose()}`);
  });
  const counts = arrivals();
  const duplicates = accepted.reduce((sum, id) => sum + (counts.get(id)! - 1), 0);
  console.log(`[chaos] ${label}: ${accepted.length} accepted events, all delivered; ${duplicates} duplicate deliveries (at least once)`);
  expect(accepted.every((id) => counts.get(id)! >= 1)).toBe(true);
}
