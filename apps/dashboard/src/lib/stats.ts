import type { WebhookStats } from '@inbox/sdk/web';

export interface StatsSummary {
  attempts: number;
  /** Share of attempts that succeeded, 0–1; null without attempts. */
  successRate: number | null;
  /** The slowest hour's 95th percentile, in ms; null without attempts. */
  worstP95Ms: number | null;
}

export function summarizeStats(stats: WebhookStats): StatsSummary {
  const { attempts, succeeded } = stats.totals;
  const p95s = stats.buckets.map((b) => b.p95_ms).filter((v): v is number => v !== null);
  return {
    attempts,
    successRate: attempts === 0 ? null : succeeded / attempts,
    worstP95Ms: p95s.length === 0 ? null : Math.max(...p95s),
  };
}

/** `97.3%`, `100%`, `—`. */
export function formatRate(rate: number | null): string {
  if (rate === null) return '—';
  const percent = rate * 100;
  return `${percent === 100 || percent === 0 ? percent.toFixed(0) : percent.toFixed(1)}%`;
}

/** Columns for the charts: hour starts (unix seconds), success rate in % and p50/p95 latency; null where an hour had no attempts. */
export function statsSeries(stats: WebhookStats): { hours: number[]; successPercent: Array<number | null>; p50: Array<number | null>; p95: Array<number | null> } {
  return {
    hours: stats.buckets.map((b) => Date.parse(b.start) / 1000),
    successPercent: stats.buckets.map((b) => (b.attempts === 0 ? null : (b.succeeded / b.attempts) * 100)),
    p50: stats.buckets.map((b) => b.p50_ms),
    p95: stats.buckets.map((b) => b.p95_ms),
  };
}
