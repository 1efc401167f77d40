/**
 * `node dist/summarize.js results/a.json results/b.json …`: one Markdown table of the runs' main
 * figures side by side with their median — for bench/RESULTS.md and for comparing commits.
 */
import { readFileSync } from 'node:fs';
import type { LogsQueryKind } from './phases/logs.js';
import type { BenchRecord } from './report.js';
import { median } from './stats.js';

type Figure = [label: string, pick: (r: BenchRecord) => number | null | undefined, digits: number];

const latency = (r: BenchRecord, rate: number) => r.phases.latency?.find((l) => l.rate === rate);
const fanout = (r: BenchRecord, width: number) => r.phases.fanout?.find((f) => f.webhooks === width);

const FIGURES: Figure[] = [
  ['bare limit, events/s (best of 32/64/200 in flight)', (r) => r.phases.bare?.eventsPerSecond, 0],
  ['  at 32 in flight', (r) => r.phases.bare?.byConcurrency?.['32'], 0],
  ['  at 64 in flight', (r) => r.phases.bare?.byConcurrency?.['64'], 0],
  ['  at 200 in flight', (r) => r.phases.bare?.byConcurrency?.['200'], 0],
  ['end-to-end /events, events/s', (r) => r.phases.throughput?.eventsPerSecond, 0],
  ['  ÷ bare (target ≥ 0.25)', (r) => r.phases.throughput?.ratioToBare, 3],
  ['  API CPU per event, µs', (r) => r.phases.throughput?.apiCpuUsPerEvent, 0],
  ['  dispatcher CPU per event, µs', (r) => r.phases.throughput?.dispatcherCpuUsPerEvent, 0],
  ['end-to-end /events/batch, events/s', (r) => r.phases.batch?.eventsPerSecond, 0],
  ['  ÷ bare (target ≥ 0.4)', (r) => r.phases.batch?.ratioToBare, 3],
  ['  dispatcher CPU per event, µs', (r) => r.phases.batch?.dispatcherCpuUsPerEvent, 0],
  ['  dispatcher deferrals per event', (r) => r.phases.batch?.deferralsPerEvent, 2],
  ['latency @ 500 ev/s, p50 ms', (r) => latency(r, 500)?.latencyMs.p50, 1],
  ['latency @ 500 ev/s, p99 ms (target ≤ 50)', (r) => latency(r, 500)?.latencyMs.p99, 1],
  ['  202s per second the API sustained', (r) => latency(r, 500)?.acceptedPerSecond, 0],
  ['  request → 202 p99 ms', (r) => latency(r, 500)?.ackMs?.p99, 1],
  ['  202 → arrival p99 ms', (r) => latency(r, 500)?.dispatchMs?.p99, 1],
  ['latency @ 1000 ev/s, p50 ms', (r) => latency(r, 1000)?.latencyMs.p50, 1],
  ['latency @ 1000 ev/s, p99 ms (target ≤ 150)', (r) => latency(r, 1000)?.latencyMs.p99, 1],
  ['  202s per second the API sustained', (r) => latency(r, 1000)?.acceptedPerSecond, 0],
  ['  request → 202 p99 ms', (r) => latency(r, 1000)?.ackMs?.p99, 1],
  ['  202 → arrival p99 ms', (r) => latency(r, 1000)?.dispatchMs?.p99, 1],
  ['fan-out to 10: all arrived, ms', (r) => fanout(r, 10)?.allArrivedMs, 1],
  ['fan-out to 10: deliveries/s', (r) => fanout(r, 10)?.deliveriesPerSecond, 0],
  ['fan-out to 100: all arrived, ms (target ≤ 50)', (r) => fanout(r, 100)?.allArrivedMs, 1],
  ['fan-out to 100: deliveries/s', (r) => fanout(r, 100)?.deliveriesPerSecond, 0],
  ['isolation: p99 ms with a hanging neighbour', (r) => r.phases.isolation?.withHangingBacklog.latencyMs.p99, 1],
  ['  ÷ p99 without (target ≤ 2)', (r) => r.phases.isolation?.p99Ratio, 2],
  ['  202 → arrival p99, ÷ without', (r) => r.phases.isolation?.dispatchP99Ratio, 2],
  ['memory: dispatcher RSS before, MB', (r) => r.phases.memory?.rssBeforeMb, 1],
  ['memory: dispatcher RSS after, MB', (r) => r.phases.memory?.rssAfterMb, 1],
  ['  growth (target ≤ 50)', (r) => r.phases.memory?.growthMb, 1],
  ['  V8 heap used growth, MB', (r) => heapGrowth(r), 1],
  ['  drain, events/s', (r) => r.phases.memory?.eventsPerSecond, 0],
  ['storage: Postgres bytes per event (no vacuum)', (r) => r.phases.storage?.bytesPerEvent, 0],
  ...(['events', 'deliveries', 'attempts'] as const).map((table): Figure => [`  ${table}: table + indexes, bytes/event`, (r) => storageOf(r, table), 0]),
  ['logs (1M attempts): p99 ms (target ≤ 100)', (r) => r.phases.logs?.ms.p99, 1],
  ['  first page p99 ms', (r) => logsKind(r, 'first page'), 1],
  ['  status=failed p99 ms', (r) => logsKind(r, 'status=failed'), 1],
  ['  cursor page p99 ms', (r) => logsKind(r, 'cursor page'), 1],
  ['  event by id p99 ms', (r) => logsKind(r, 'event by id'), 1],
  ["fairness: B's p99 ms with A's burst queued", (r) => r.phases.fairness?.withBurst.latencyMs.p99, 1],
  ['  ÷ p99 alone (target ≤ 2)', (r) => r.phases.fairness?.p99Ratio, 2],
  ["  A's requests held", (r) => r.phases.fairness?.heldForA, 0],
  ['load average at start (1 min)', (r) => r.machine.loadAverage?.start[0], 1],
];

function storageOf(r: BenchRecord, table: string): number | null {
  const t = r.phases.storage?.tables.find((x) => x.table === table);
  return t ? t.tableBytesPerEvent + t.indexBytesPerEvent : null;
}

function logsKind(r: BenchRecord, kind: LogsQueryKind): number | null {
  return r.phases.logs?.kinds.find((k) => k.kind === kind)?.ms.p99 ?? null;
}

function heapGrowth(r: BenchRecord): number | null {
  const m = r.phases.memory;
  return m?.heapUsedAfterMb == null || m.heapUsedBeforeMb == null ? null : m.heapUsedAfterMb - m.heapUsedBeforeMb;
}

export function summarize(records: BenchRecord[]): string {
  const cell = (v: number | null | undefined, digits: number) => (v === null || v === undefined || Number.isNaN(v) ? '—' : v.toFixed(digits));
  const header = ['figure', ...records.map((r) => `${r.startedAt.slice(0, 16).replace('T', ' ')} (${r.git.commit?.slice(0, 7) ?? '?'})`), 'median'];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const [label, pick, digits] of FIGURES) {
    const values = records.map(pick);
    const present = values.filter((v): v is number => typeof v === 'number' && !Number.isNaN(v));
    lines.push(`| ${label} | ${values.map((v) => cell(v, digits)).join(' | ')} | ${present.length ? cell(median(present), digits) : '—'} |`);
  }
  return lines.join('\n');
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node dist/summarize.js results/<run>.json …');
  process.exit(64);
}
console.log(summarize(files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as BenchRecord)));
