import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const INFRA = join(dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = join(INFRA, '..');
const OBSERVABILITY = join(INFRA, 'observability');

interface Rule {
  alert: string;
  expr: string;
}
const rules: Rule[] = (
  parseYaml(readFileSync(join(OBSERVABILITY, 'rules.yaml'), 'utf8')) as { groups: Array<{ rules: Rule[] }> }
).groups.flatMap((g) => g.rules);

interface Panel {
  title: string;
  targets?: Array<{ expr: string }>;
}
const dashboard = JSON.parse(readFileSync(join(OBSERVABILITY, 'dashboard.json'), 'utf8')) as {
  uid: string;
  panels: Panel[];
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** What this test uses of prom-client (a dependency of @inbox/server, not of this package). */
interface PromClient {
  Registry: new () => { getMetricsAsArray(): Array<{ name: string }> };
  collectDefaultMetrics(options: { register: unknown }): void;
}

/** Every metric the apps register (`name: '…'` beside prom-client), and Node's default metrics as prom-client names them. */
function exportedMetrics(): Set<string> {
  const names = new Set<string>();
  for (const file of ['apps/api/src', 'apps/dispatcher/src', 'packages/server/src'].flatMap((dir) =>
    sourceFiles(join(ROOT, dir)),
  )) {
    const text = readFileSync(file, 'utf8');
    if (!text.includes("from 'prom-client'")) continue;
    for (const match of text.matchAll(/\bname: '([a-z_:][a-z0-9_:]*)'/g)) names.add(match[1]!);
  }
  // prom-client through @inbox/server, which depends on it (as the apps use it).
  const promClient = createRequire(join(ROOT, 'packages/server/package.json'))('prom-client') as PromClient;
  const registry = new promClient.Registry();
  promClient.collectDefaultMetrics({ register: registry });
  for (const metric of registry.getMetricsAsArray()) names.add(metric.name);
  return names;
}

/** The metric names a PromQL expression selects: identifiers in our families, histogram suffixes removed. */
function metricsIn(expr: string): string[] {
  return [...expr.matchAll(/\b((?:inbox|process|nodejs)_[a-z0-9_]+)\b/g)].map((m) =>
    m[1]!.replace(/_(bucket|sum|count)$/, ''),
  );
}

function promtool(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

describe('infra/observability', () => {
  const exported = exportedMetrics();

  it('every alert and dashboard query reads metrics the apps export', () => {
    const exprs = [
      ...rules.map((r) => [r.alert, r.expr]),
      ...dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => [p.title, t.expr])),
    ];
    expect(exprs.length).toBeGreaterThan(10);
    for (const [where, expr] of exprs) {
      const metrics = metricsIn(expr!);
      expect([where, metrics.length > 0]).toEqual([where, true]);
      for (const metric of metrics)
        expect([where, metric, exported.has(metric) || exported.has(`${metric}_count`)]).toEqual([where, metric, true]);
    }
  });

  it('the dashboard is a Grafana dashboard with panels on the new series', () => {
    expect(dashboard.uid).toBe('inbox-webhooks');
    const queried = new Set(dashboard.panels.flatMap((p) => (p.targets ?? []).flatMap((t) => metricsIn(t.expr))));
    for (const metric of [
      'inbox_delivery_lag_seconds',
      'inbox_delivery_duration_seconds',
      'inbox_oldest_pending_delivery_seconds',
      'inbox_api_request_duration_seconds',
      'inbox_dispatcher_attempts_total',
      'inbox_dispatcher_queue_jobs',
    ]) {
      expect(queried).toContain(metric);
    }
  });

  it('every alert has a runbook section in infra/README.md', () => {
    const readme = readFileSync(join(INFRA, 'README.md'), 'utf8');
    for (const rule of rules) expect([rule.alert, readme.includes(`#### ${rule.alert}\n`)]).toEqual([rule.alert, true]);
  });

  const bin = promtool();
  if (!bin) {
    // scripts/test.sh installs Debian's prometheus package (it brings promtool); elsewhere install promtool yourself.
    console.warn(
      'promtool not found on PATH: skipping `promtool check rules` and `promtool test rules` (Debian: apt-get install prometheus)',
    );
  }
  (bin ? it : it.skip)('promtool checks the rules and passes their unit tests (rules.test.yaml)', () => {
    const run = (...args: string[]) =>
      execFileSync(bin!, args, { cwd: OBSERVABILITY, encoding: 'utf8', timeout: 20_000 });
    expect(run('check', 'rules', 'rules.yaml')).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(run('test', 'rules', 'rules.test.yaml')).toContain('SUCCESS');
  });
});
