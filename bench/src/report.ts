import type { DispatcherSettings } from './harness.js';
import type { Phase } from './options.js';
import type { BareResult } from './phases/bare.js';
import type { FairnessResult } from './phases/fairness.js';
import type { FanoutResult } from './phases/fanout.js';
import type { IsolationResult } from './phases/isolation.js';
import type { LatencyResult } from './phases/latency.js';
import type { LogsResult } from './phases/logs.js';
import type { MemoryResult } from './phases/memory.js';
import type { StorageResult } from './phases/storage.js';
import type { ThroughputResult } from './phases/throughput.js';
import type { ProfileSummary } from './profile.js';

export interface PhaseResults {
  bare?: BareResult;
  throughput?: ThroughputResult;
  batch?: ThroughputResult;
  latency?: LatencyResult[];
  fanout?: FanoutResult[];
  memory?: MemoryResult;
  storage?: StorageResult;
  logs?: LogsResult;
  isolation?: IsolationResult;
  fairness?: FairnessResult;
}

export interface Target {
  name: string;
  goal: string;
  value: string;
  met: boolean | null;
}

export interface BenchRecord {
  startedAt: string;
  quick: boolean;
  machine: { cores: number; cpu: string; totalMemoryMb: number; node: string; platform: string; loadAverage: { start: number[]; end: number[] } };
  git: { commit: string | null; dirty: boolean | null };
  /** Where this run lived (dropped and deleted at its end) and where the apps' logs are. */
  run: { database: string; queuePrefix: string; logs: string };
  settings: DispatcherSettings & { batchSize: number; ingestConcurrency: number; batchConcurrency: number };
  phases: PhaseResults;
  errors: Partial<Record<Phase, string>>;
  targets: Target[];
  profiles?: Record<string, ProfileSummary>;
}

const fmt = (n: number | null | undefined, digits = 0) => (n === null || n === undefined || Number.isNaN(n) ? '—' : n.toFixed(digits));

/** The issue's targets, judged on this run's figures (null: the phase did not run). */
export function judgeTargets(p: PhaseResults): Target[] {
  const latencyAt = (rate: number) => p.latency?.find((l) => l.rate === rate)?.latencyMs.p99;
  const ratio = (t?: ThroughputResult) => t?.ratioToBare ?? null;
  const target = (name: string, goal: string, value: number | null | undefined, ok: (v: number) => boolean, digits: number, unit = ''): Target => ({
    name,
    goal,
    value: value === null || value === undefined ? '—' : `${fmt(value, digits)}${unit}`,
    met: value === null || value === undefined || Number.isNaN(value) ? null : ok(value),
  });
  return [
    target('end-to-end / bare (single)', '≥ 0.25×', ratio(p.throughput), (v) => v >= 0.25, 3, '×'),
    target('end-to-end / bare (batch)', '≥ 0.4×', ratio(p.batch), (v) => v >= 0.4, 3, '×'),
    target('p99 latency at 500 ev/s', '≤ 50 ms', latencyAt(500), (v) => v <= 50, 1, ' ms'),
    target('p99 latency at 1000 ev/s', '≤ 150 ms', latencyAt(1000), (v) => v <= 150, 1, ' ms'),
    target('fan-out to 100: all arrived', '≤ 50 ms', p.fanout?.find((f) => f.webhooks === 100)?.allArrivedMs, (v) => v <= 50, 1, ' ms'),
    target('p99 with a hanging neighbour', '≤ 2× without', p.isolation?.p99Ratio, (v) => v <= 2, 2, '×'),
    target('dispatcher RSS growth over drain', '≤ 50 MB', p.memory?.growthMb, (v) => v <= 50, 1, ' MB'),
    target("p99 with another account's burst", '≤ 2× alone', p.fairness?.p99Ratio, (v) => v <= 2, 2, '×'),
    // Ours: the issue asks only for the figure.
    target('logs query p99 with 1M attempts', '≤ 100 ms', p.logs?.ms.p99, (v) => v <= 100, 1, ' ms'),
  ];
}

/** The human-readable summary printed at the end of a run. */
export function renderReport(record: BenchRecord): string {
  const p = record.phases;
  const rows: string[][] = [['phase', 'figure', 'value', 'detail']];
  if (p.bare) {
    const tried = Object.entries(p.bare.byConcurrency ?? {}).map(([c, rate]) => `${rate}/s at ${c}`).join(', ');
    rows.push(['bare limit', 'events/s', fmt(p.bare.eventsPerSecond), `best of ${tried} in flight; ${p.bare.requests} signed POSTs each, ${p.bare.bodyBytes} B bodies`]);
  }
  for (const t of [p.throughput, p.batch]) {
    if (!t) continue;
    rows.push([
      `end-to-end (${t.route === 'single' ? '/events' : '/events/batch'})`,
      'events/s',
      fmt(t.eventsPerSecond),
      `${fmt(t.ratioToBare, 3)}× bare; ${t.events} events in ${fmt(t.seconds, 2)} s; ingest ${fmt(t.ingestPerSecond)}/s; CPU/event api ${t.apiCpuUsPerEvent} µs, dispatcher ${t.dispatcherCpuUsPerEvent} µs; ${fmt(t.deferralsPerEvent, 2)} deferrals/event`,
    ]);
  }
  for (const l of p.latency ?? []) {
    const saturated = l.saturated ? `SATURATED: the API accepted only ${l.acceptedPerSecond}/s, sending stopped after ${l.sent} events; ` : '';
    rows.push([`latency @ ${l.rate} ev/s`, 'p50 / p99 ms', `${fmt(l.latencyMs.p50, 1)} / ${fmt(l.latencyMs.p99, 1)}`, `${saturated}${l.sent} events; max ${fmt(l.latencyMs.max, 1)} ms; 202 p99 ${fmt(l.ackMs.p99, 1)} ms; 202→arrival p50/p99 ${fmt(l.dispatchMs?.p50, 1)}/${fmt(l.dispatchMs?.p99, 1)} ms`]);
  }
  for (const f of p.fanout ?? []) {
    rows.push([`fan-out to ${f.webhooks}`, 'all arrived ms', fmt(f.allArrivedMs, 1), `${fmt(f.deliveriesPerSecond)} deliveries/s; first arrival ${fmt(f.firstArrivalMs, 1)} ms; median of ${f.repeats}`]);
  }
  if (p.isolation) {
    const i = p.isolation;
    rows.push([
      `isolation @ ${i.withHangingBacklog.rate} ev/s`,
      'p50 / p99 ms',
      `${fmt(i.withHangingBacklog.latencyMs.p50, 1)} / ${fmt(i.withHangingBacklog.latencyMs.p99, 1)}`,
      `${fmt(i.p99Ratio, 2)}× p99 without (${fmt(i.baseline.latencyMs.p99, 1)} ms); 202→arrival p99 ${fmt(i.dispatchP99Ratio, 2)}× without; ${i.backlog}-event backlog on a hanging endpoint, ${i.hangingRequestsOpen} requests held, parked in ${i.parkedAfterMs === null ? '?' : fmt(i.parkedAfterMs / 1000, 1)} s`,
    ]);
  }
  if (p.fairness) {
    const f = p.fairness;
    rows.push([
      `fairness @ ${f.withBurst.rate} ev/s`,
      'p50 / p99 ms',
      `${fmt(f.withBurst.latencyMs.p50, 1)} / ${fmt(f.withBurst.latencyMs.p99, 1)}`,
      `${f.withBurst.saturated || f.baseline.saturated ? `SATURATED (${f.withBurst.saturated ? 'with the burst' : 'alone'}): the ratio means little; ` : ''}${fmt(f.p99Ratio, 2)}× B's p99 alone (${fmt(f.baseline.latencyMs.p99, 1)} ms); 202→arrival p99 ${fmt(f.dispatchP99Ratio, 2)}× alone; account A's ${f.deliveries} deliveries (${f.events} events × ${f.webhooks} webhooks) to a hanging host, ${fmt(f.waitingAtStart)} jobs waiting at B's start, ${f.heldForA} of A's requests held (account limit ${record.settings.accountConcurrency})`,
    ]);
  }
  if (p.storage) {
    const s = p.storage;
    const perTable = s.tables.map((t) => `${t.table} ${fmt(t.tableBytesPerEvent)} + ${fmt(t.indexBytesPerEvent)}`).join(', ');
    rows.push(['Postgres storage', 'bytes/event', fmt(s.bytesPerEvent), `table + indexes per event: ${perTable}; ${s.events} events stored, no VACUUM`]);
  }
  if (p.logs) {
    const l = p.logs;
    const kinds = l.kinds.map((k) => `${k.kind} ${fmt(k.ms.p50, 1)}/${fmt(k.ms.p99, 1)}`).join(', ');
    rows.push(['logs queries', 'p50 / p99 ms', `${fmt(l.ms.p50, 1)} / ${fmt(l.ms.p99, 1)}`, `${l.requests} requests, ${l.concurrency} in flight, one webhook with ${l.attempts} attempts over ${l.days} days (loaded in ${fmt(l.loadSeconds, 1)} s); p50/p99 ms: ${kinds}`]);
  }
  if (p.memory) {
    const m = p.memory;
    rows.push(['dispatcher memory', 'RSS growth MB', fmt(m.growthMb, 1), `${fmt(m.rssBeforeMb, 1)} → ${fmt(m.rssAfterMb, 1)} MB (peak ${fmt(m.rssPeakMb, 1)}; V8 heap used ${fmt(m.heapUsedBeforeMb, 1)} → ${fmt(m.heapUsedAfterMb, 1)} MB) over a ${m.events}-event drain at ${fmt(m.eventsPerSecond)} ev/s`]);
  }
  const out = [table(rows)];
  const errors = Object.entries(record.errors);
  if (errors.length) out.push('', 'FAILED phases:', ...errors.map(([phase, message]) => `  ${phase}: ${message}`));
  out.push('', table([['target', 'goal', 'this run', 'met'], ...record.targets.map((t) => [t.name, t.goal, t.value, t.met === null ? '—' : t.met ? 'yes' : 'NO'])]));
  for (const [app, summary] of Object.entries(record.profiles ?? {})) {
    out.push('', `${app}: ${summary.busyMs} ms busy of ${summary.totalMs} ms sampled`);
    out.push(table([['on the stack (inclusive)', 'ms', '% busy'], ...summary.packages.slice(0, 12).map((x) => [x.name, String(x.selfMs), fmt(x.percent, 1)])]));
    out.push(table([['function (self time)', 'ms', '% sampled'], ...summary.functions.slice(0, 12).map((x) => [x.name, String(x.selfMs), fmt(x.percent, 1)])]));
  }
  out.push(
    '',
    `${record.machine.cores} cores (${record.machine.cpu}), load average ${record.machine.loadAverage.start[0]?.toFixed(1)} → ${record.machine.loadAverage.end[0]?.toFixed(1)}, node ${record.machine.node}, commit ${record.git.commit?.slice(0, 10) ?? '?'}${record.git.dirty ? ' (dirty)' : ''}; ` +
      `dispatcher concurrency ${record.settings.dispatcherConcurrency}, per endpoint ${record.settings.endpointConcurrency}, per account and host ${record.settings.accountConcurrency}`,
  );
  return out.join('\n');
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}
