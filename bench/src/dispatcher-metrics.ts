import { request } from 'undici';
import type { Harness } from './harness.js';

/**
 * One metric from the dispatcher's Prometheus endpoint, summed over its label sets (those holding
 * `label`, a regular expression such as `state="wait"`, when given); null when the dispatcher does
 * not export it (the bench then simply reports less).
 */
export async function dispatcherMetric(h: Harness, name: string, label?: string): Promise<number | null> {
  try {
    const res = await request(h.dispatcherMetricsUrl);
    const text = await res.body.text();
    const labels = label ? `\\{[^}]*${label}[^}]*\\}` : '(?:\\{[^}]*\\})?';
    const pattern = new RegExp(`^${name}${labels} (\\S+)$`, 'gm');
    const values = [...text.matchAll(pattern)].map((m) => Number(m[1]));
    return values.length === 0 ? null : values.reduce((a, b) => a + b, 0);
  } catch {
    return null;
  }
}

/**
 * Delivery jobs waiting to be fetched: BullMQ's `wait` list plus its `prioritized` set (the
 * dispatcher's fair share between accounts enqueues with priorities, so most waiting jobs are there).
 * Null when the dispatcher exports neither.
 */
export function waitingJobs(h: Harness): Promise<number | null> {
  return dispatcherMetric(h, 'inbox_dispatcher_queue_jobs', 'state="(?:wait|prioritized)"');
}
