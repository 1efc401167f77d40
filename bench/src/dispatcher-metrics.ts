import { request } from 'undici';
import type { Harness } from './harness.js';

/**
 * One metric from the dispatcher's Prometheus endpoint, summed over its label sets (those holding
 * `label`, e.g. `state="wait"`, when given); null when the dispatcher does not export it (the bench
 * then simply reports less).
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
