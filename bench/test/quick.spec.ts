import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { TEST_REDIS_URL, withAdmin } from '@inbox/testing';
import type { BenchRecord } from '../src/report.js';

const BENCH_JS = fileURLToPath(new URL('../dist/bench.js', import.meta.url));

/** CPU µs per event of each app in `--quick`'s throughput phases, committed (bench/cpu-baseline.json). */
interface CpuBaseline {
  single: { api: number; dispatcher: number };
  batch: { dispatcher: number };
}
const CPU_BASELINE = JSON.parse(readFileSync(new URL('../cpu-baseline.json', import.meta.url), 'utf8')) as CpuBaseline;

/** `pnpm bench --quick` end to end: real API and dispatcher processes, real Postgres and Redis. */
describe('bench --quick', () => {
  const resultsDir = mkdtempSync(join(tmpdir(), 'inbox-bench-'));
  let record: BenchRecord;
  let stdout: string;

  beforeAll(async () => {
    stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, [BENCH_JS, '--quick', '--results-dir', resultsDir], { timeout: 290_000, maxBuffer: 10 * 2 ** 20 }, (error, out, err) =>
        error ? reject(new Error(`bench failed: ${error.message}\n${out}\n${err}`)) : resolve(out),
      );
    });
    const [json] = readdirSync(resultsDir).filter((f) => f.endsWith('.json'));
    record = JSON.parse(readFileSync(join(resultsDir, json!), 'utf8')) as BenchRecord;
  }, 300_000);

  afterAll(() => rmSync(resultsDir, { recursive: true, force: true }));

  it('runs every phase without error and prints the table', () => {
    expect(record.errors).toEqual({});
    expect(record.quick).toBe(true);
    for (const heading of ['bare limit', 'end-to-end (/events)', 'end-to-end (/events/batch)', 'latency @ 500 ev/s', 'latency @ 1000 ev/s', 'fan-out to 10', 'isolation @ 500 ev/s', 'dispatcher memory', 'Postgres storage', 'logs queries', 'fairness @ 500 ev/s']) {
      expect(stdout).toContain(heading);
    }
  });

  it('measures the bare limit and end-to-end throughput as a share of it', () => {
    const { bare, throughput, batch } = record.phases;
    expect(bare!.requests).toBe(1000);
    // The best of the three in-flight counts is the limit every ratio divides by.
    expect(Object.keys(bare!.byConcurrency)).toEqual(['32', '64', '200']);
    expect(bare!.eventsPerSecond).toBe(Math.max(...Object.values(bare!.byConcurrency)));
    expect(bare!.byConcurrency[String(bare!.concurrency)]).toBe(bare!.eventsPerSecond);
    expect(bare!.eventsPerSecond).toBeGreaterThan(0);
    expect(bare!.bodyBytes).toBeGreaterThan(900);
    for (const [t, route] of [[throughput, 'single'], [batch, 'batch']] as const) {
      expect(t).toMatchObject({ route, events: 1000 });
      expect(t!.eventsPerSecond).toBeGreaterThan(0);
      expect(t!.ratioToBare).toBeGreaterThan(0);
      expect(t!.ingestSeconds).toBeLessThanOrEqual(t!.seconds);
    }
  });

  it('measures arrival latency of every paced event', () => {
    expect(record.phases.latency!.map((l) => l.rate)).toEqual([500, 1000]);
    for (const l of record.phases.latency!) {
      expect(l.sent).toBe(l.rate * 2);
      expect(l.latencyMs.count).toBe(l.sent);
      expect(l.latencyMs.p50).toBeGreaterThan(0);
      expect(l.latencyMs.p99).toBeGreaterThanOrEqual(l.latencyMs.p50);
      expect(l.ackMs.p50).toBeLessThanOrEqual(l.latencyMs.max);
      expect(l.dispatchMs.count).toBe(l.sent);
      expect(l.saturated).toBe(false);
    }
  });

  it('measures fan-out, isolation and dispatcher memory', () => {
    const [fanout] = record.phases.fanout!;
    expect(fanout).toMatchObject({ webhooks: 10, repeats: 3 });
    expect(fanout!.allArrivedMs).toBeGreaterThanOrEqual(fanout!.firstArrivalMs);
    expect(fanout!.deliveriesPerSecond).toBeGreaterThan(0);

    const isolation = record.phases.isolation!;
    expect(isolation.backlog).toBe(2000);
    expect(isolation.hangingRequestsOpen).toBeGreaterThan(0);
    expect(isolation.withHangingBacklog.latencyMs.count).toBe(1000);
    expect(isolation.p99Ratio).toBeGreaterThan(0);
    expect(Number.isFinite(isolation.dispatchP99Ratio)).toBe(true);

    const memory = record.phases.memory!;
    expect(memory.events).toBe(5000);
    expect(memory.rssBeforeMb).toBeGreaterThan(20);
    expect(memory.rssPeakMb).toBeGreaterThanOrEqual(memory.rssBeforeMb);
    expect(memory.rssAfterMb).toBeGreaterThan(20);
  });

  // Loose on purpose (2×): noise never fails it, a real regression in the hot path does.
  it('spends at most twice the committed CPU per event in each app (bench/cpu-baseline.json)', () => {
    const { throughput, batch } = record.phases;
    const spent = { single: { api: throughput!.apiCpuUsPerEvent, dispatcher: throughput!.dispatcherCpuUsPerEvent }, batch: { dispatcher: batch!.dispatcherCpuUsPerEvent } };
    console.log(`[bench --quick] CPU µs per event: ${JSON.stringify(spent)}; baseline ${JSON.stringify({ single: CPU_BASELINE.single, batch: CPU_BASELINE.batch })}`);
    expect(spent.single.api).toBeLessThanOrEqual(2 * CPU_BASELINE.single.api);
    expect(spent.single.dispatcher).toBeLessThanOrEqual(2 * CPU_BASELINE.single.dispatcher);
    expect(spent.batch.dispatcher).toBeLessThanOrEqual(2 * CPU_BASELINE.batch.dispatcher);
  });

  it('measures Postgres bytes per event, the logs queries and fairness between accounts', () => {
    const storage = record.phases.storage!;
    expect(storage.events).toBeGreaterThan(1000);
    expect(storage.bytesPerEvent).toBeGreaterThan(0);
    expect(storage.tables.map((t) => t.table)).toEqual(['events', 'deliveries', 'attempts', 'idempotency_keys']);
    for (const t of storage.tables.slice(0, 3)) {
      expect(t.rows).toBeGreaterThan(0);
      expect(t.tableBytesPerEvent).toBeGreaterThan(0);
      expect(t.indexBytesPerEvent).toBeGreaterThan(0);
    }

    const logs = record.phases.logs!;
    expect(logs.attempts).toBeGreaterThanOrEqual(20_000);
    expect(logs.ms.count).toBe(100);
    expect(logs.ms.p99).toBeGreaterThan(0);
    expect(logs.kinds.map((k) => k.ms.count)).toEqual([20, 20, 20, 20, 20]);

    const fairness = record.phases.fairness!;
    expect(fairness).toMatchObject({ webhooks: 20, events: 100, deliveries: 2000 });
    expect(fairness.heldForA).toBeGreaterThan(0);
    expect(fairness.heldForA).toBeLessThanOrEqual(record.settings.accountConcurrency);
    expect(fairness.withBurst.latencyMs.count).toBe(1000);
    // Its own baseline, B alone just before the burst, at the same rate.
    expect(fairness.baseline.rate).toBe(500);
    expect(fairness.baseline.latencyMs.count).toBe(1000);
    expect(Number.isFinite(fairness.p99Ratio)).toBe(true);
    expect(fairness.p99Ratio).toBeGreaterThan(0);
  });

  it('judges every target and records the machine and commit', () => {
    expect(record.targets).toHaveLength(9);
    // Quick runs fan out to 10 webhooks only: the fan-out-to-100 target is not judged there.
    for (const target of record.targets) expect(typeof target.met).toBe(target.name === 'fan-out to 100: all arrived' ? 'object' : 'boolean');
    expect(record.machine.cores).toBeGreaterThan(0);
    expect(record.machine.node).toBe(process.version);
    expect(record.git.commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it('drops its database and deletes its Redis keys', async () => {
    const { rows } = await withAdmin((c) => c.query('SELECT 1 FROM pg_database WHERE datname = $1', [record.run.database]));
    expect(rows).toHaveLength(0);
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    try {
      const left: string[] = [];
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${record.run.queuePrefix}*`, 'COUNT', 1000);
        cursor = next;
        left.push(...keys);
      } while (cursor !== '0');
      expect(left).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });
});
