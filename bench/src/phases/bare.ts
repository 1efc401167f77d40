import { Agent, request } from 'undici';
import { buildDeliveryHeaders, generateSecret } from '@inbox/signing';
import type { Harness } from '../harness.js';
import { BENCH_EVENT_TYPE, envelopeBody } from '../payload.js';
import { pollUntil } from '../poll.js';
import { now, round } from '../stats.js';
import { forEachConcurrently } from '../workload.js';

/** In-flight counts the bare loop tries; the best is the limit (one receiver is slower at 200 than at 64). */
export const BARE_CONCURRENCIES = [32, 64, 200] as const;

export interface BareResult {
  requests: number;
  /** The in-flight count of the best rate. */
  concurrency: number;
  seconds: number;
  eventsPerSecond: number;
  bodyBytes: number;
  /** Events/s at each in-flight count tried. */
  byConcurrency: Record<string, number>;
}

/**
 * The bare limit: sign (buildDeliveryHeaders, both HMACs) and POST the same ~1 KB bodies to the same
 * receiver with undici, no queue, no database, at 32, 64 and 200 in flight; the best of the three is
 * what no delivery platform can beat on this machine, and every ratio divides by it.
 */
export async function runBare(h: Harness, requests: number): Promise<BareResult> {
  const runs: BareResult[] = [];
  for (const concurrency of BARE_CONCURRENCIES) runs.push(await runBareAt(h, requests, concurrency, `/bare-${concurrency}`));
  const best = runs.reduce((a, b) => (b.eventsPerSecond > a.eventsPerSecond ? b : a));
  return { ...best, byConcurrency: Object.fromEntries(runs.map((r) => [String(r.concurrency), r.eventsPerSecond])) };
}

async function runBareAt(h: Harness, requests: number, concurrency: number, path: string): Promise<BareResult> {
  const secret = generateSecret();
  const agent = new Agent({ keepAliveTimeout: 30_000 });
  const ids = Array.from({ length: requests }, (_, i) => `evt_bare${i}`);
  const bodies = ids.map((id, i) => envelopeBody(id, i));

  const post = async (path: string, i: number) => {
    const headers = buildDeliveryHeaders({ eventId: ids[i]!, eventType: BENCH_EVENT_TYPE, attempt: 1, body: bodies[i]!, secret });
    const res = await request(h.receiver.url(path), { method: 'POST', headers, body: bodies[i], dispatcher: agent });
    await res.body.dump();
    if (res.statusCode !== 200) throw new Error(`receiver answered ${res.statusCode}`);
  };
  try {
    // Warm-up: connections open and JIT warm before the clock starts.
    await forEachConcurrently(ids.slice(0, Math.min(requests, 500)), concurrency, (_, i) => post('/bare-warmup', i));
    const start = now();
    await forEachConcurrently(ids, concurrency, (_, i) => post(path, i));
    const seconds = (now() - start) / 1000;
    await pollUntil('bare-loop arrivals', async () => ((await h.receiver.stats()).paths[path] ?? 0) >= requests, { timeoutMs: 10_000, intervalMs: 20 });
    return {
      requests,
      concurrency,
      seconds: round(seconds, 2),
      eventsPerSecond: Math.round(requests / seconds),
      bodyBytes: Buffer.byteLength(bodies[0] ?? ''),
      byConcurrency: {},
    };
  } finally {
    await agent.close();
  }
}
