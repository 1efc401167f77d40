import { newId } from '@inbox/db';
import type { EventType } from '@inbox/events';
import type { IngestEvent } from './api-client.js';
import type { Harness } from './harness.js';
import { actionData, BENCH_EVENT_TYPE } from './payload.js';
import { sleep } from './poll.js';
import { now } from './stats.js';

export interface Endpoint {
  url: string;
  events: EventType[];
}

export interface Subscription {
  accountId: string;
  apiKey: string;
  /** In the order of the endpoints given. */
  webhookIds: string[];
}

/** A new account with one webhook per endpoint (created through the public API, as customers do). */
export async function subscribe(h: Harness, name: string, endpoints: Endpoint[]): Promise<Subscription> {
  const account = await h.api.createAccount(`bench ${name}`);
  const webhookIds: string[] = [];
  await forEachConcurrently(endpoints, 10, async (endpoint, index) => {
    const webhook = await h.api.createWebhook(account.api_key, { ...endpoint, description: `bench ${name}` });
    webhookIds[index] = webhook.id;
  });
  return { accountId: account.id, apiKey: account.api_key, webhookIds };
}

/** Runs `fn` over `items` with at most `concurrency` calls in flight. */
export async function forEachConcurrently<T>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

export function benchEvents(accountId: string, count: number, firstSeq = 0): IngestEvent[] {
  return Array.from({ length: count }, (_, i) => ({ id: newId('event'), account_id: accountId, type: BENCH_EVENT_TYPE, data: actionData(firstSeq + i) }));
}

/** Ingests `events` one per request, `concurrency` requests in flight (a closed loop). */
export async function ingestEach(h: Harness, events: IngestEvent[], concurrency: number): Promise<void> {
  await forEachConcurrently(events, concurrency, async (event) => {
    await h.api.ingest(event);
  });
}

/** Ingests `events` through the batch route, `batchSize` per request, `concurrency` requests in flight. */
export async function ingestBatches(h: Harness, events: IngestEvent[], batchSize: number, concurrency: number): Promise<void> {
  const batches: IngestEvent[][] = [];
  for (let i = 0; i < events.length; i += batchSize) batches.push(events.slice(i, i + batchSize));
  await forEachConcurrently(batches, concurrency, async (batch) => {
    await h.api.ingestBatch(batch);
  });
}

export async function countAttempts(h: Harness, webhookIds: string[]): Promise<number> {
  const { rows } = await h.db.query<{ n: string }>('SELECT count(*) AS n FROM attempts WHERE webhook_id = ANY($1)', [webhookIds]);
  return Number(rows[0]!.n);
}

/**
 * Waits until the receiver has `expected` distinct events on each of `paths` AND the dispatcher has
 * recorded `expected` attempts per webhook, and returns when that was seen. The receiver is polled
 * first (cheap, over IPC) and the attempts table only once the receiver is complete, so the bench
 * does not load Postgres while measuring it. Fails when nothing moves for `stallMs`.
 */
export async function waitForDeliveries(
  h: Harness,
  input: { paths: string[]; webhookIds: string[]; expected: number; what: string; stallMs?: number },
): Promise<number> {
  const { paths, webhookIds, expected, what, stallMs = 60_000 } = input;
  let progress = -1;
  let progressAt = Date.now();
  const stalled = (seen: number) => {
    if (seen !== progress) {
      progress = seen;
      progressAt = Date.now();
    } else if (Date.now() - progressAt > stallMs) {
      throw new Error(`${what}: no progress for ${stallMs / 1000} s (${describe()})`);
    }
  };
  let received = 0;
  let attempts = 0;
  const describe = () => `${received}/${expected * paths.length} received, ${attempts}/${expected * webhookIds.length} attempts recorded`;
  for (;;) {
    assertAlive(h);
    const stats = await h.receiver.stats();
    received = paths.reduce((sum, p) => sum + Math.min(expected, stats.paths[p] ?? 0), 0);
    if (received >= expected * paths.length) break;
    stalled(received);
    await sleep(20);
  }
  for (;;) {
    assertAlive(h);
    attempts = await countAttempts(h, webhookIds);
    if (attempts >= expected * webhookIds.length) return now();
    stalled(received + attempts);
    await sleep(20);
  }
}

export function assertAlive(h: Harness): void {
  for (const app of [h.apiProcess, h.dispatcher]) {
    if (!app.running) throw new Error(`${app.name} exited during the run:\n${app.logTail()}`);
  }
}

/** CPU time the processes used between two snapshots, in ms. */
export interface CpuUse {
  apiMs: number;
  dispatcherMs: number;
}

export function cpuMeter(h: Harness): () => CpuUse {
  const api0 = h.apiProcess.cpuMs();
  const dispatcher0 = h.dispatcher.cpuMs();
  return () => ({ apiMs: h.apiProcess.cpuMs() - api0, dispatcherMs: h.dispatcher.cpuMs() - dispatcher0 });
}
