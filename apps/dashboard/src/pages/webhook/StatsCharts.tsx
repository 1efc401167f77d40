import { useCallback } from 'react';
import { useStats } from '../../api/queries';
import { Card } from '../../components/Card';
import { ErrorState, Loading } from '../../components/States';
import { TimeChart } from '../../components/TimeChart';
import { formatRate, statsSeries, summarizeStats } from '../../lib/stats';
import { formatDuration } from '../../lib/time';
import styles from './WebhookPage.module.css';

const RATE_RANGE: [number, number] = [0, 100];

/** Success rate and latency over the last 24 hours, by the hour. */
export function StatsCharts({ webhookId }: { webhookId: string }) {
  const stats = useStats(webhookId);
  const percent = useCallback((v: number) => `${Math.round(v)}%`, []);
  const ms = useCallback((v: number) => formatDuration(v), []);
  if (stats.isPending) return <Card title="Last 24 hours"><Loading label="Loading charts…" /></Card>;
  if (stats.isError) return <Card title="Last 24 hours"><ErrorState error={stats.error} onRetry={() => void stats.refetch()} title="Could not load the charts" /></Card>;

  const summary = summarizeStats(stats.data);
  const series = statsSeries(stats.data);
  return (
    <Card title="Last 24 hours" description={summary.attempts === 0 ? 'No attempts in the last 24 hours.' : `${summary.attempts.toLocaleString()} attempts`}>
      <div className={styles.charts}>
        <TimeChart
          title="Success rate"
          summary={summary.successRate === null ? 'No attempts' : `${formatRate(summary.successRate)} succeeded`}
          x={series.hours}
          series={[{ label: 'Succeeded (%)', color: '#16a34a', fill: 'rgba(22, 163, 74, 0.08)', values: series.successPercent }]}
          formatY={percent}
          yRange={RATE_RANGE}
        />
        <TimeChart
          title="Latency"
          summary={summary.worstP95Ms === null ? 'No attempts' : `p95 up to ${formatDuration(summary.worstP95Ms)}`}
          x={series.hours}
          series={[
            { label: 'Median', color: '#4f46e5', values: series.p50 },
            { label: '95th percentile', color: '#f59e0b', values: series.p95 },
          ]}
          formatY={ms}
          yMinTop={100}
        />
      </div>
    </Card>
  );
}
