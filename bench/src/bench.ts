/**
 * `pnpm bench`: starts the built API and dispatcher on a fresh database and Redis prefix, measures
 * the machine's bare signing+POST limit and the platform end to end (throughput, latency, fan-out,
 * memory, Postgres bytes per event, logs queries, isolation, fairness between accounts), prints a
 * table and writes bench/results/<timestamp>.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT, startHarness } from './harness.js';
import { parseOptions, USAGE } from './options.js';
import { summarizeProfile, type ProfileSummary } from './profile.js';
import { judgeTargets, renderReport, type BenchRecord } from './report.js';
import { runPhases } from './run-phases.js';

const DEFAULT_RESULTS_DIR = fileURLToPath(new URL('../results', import.meta.url));
const log = (line: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

async function main(): Promise<number> {
  let options;
  try {
    options = parseOptions(process.argv.slice(2), DEFAULT_RESULTS_DIR);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 64;
  }
  const startedAt = new Date();
  const loadAtStart = loadavg();
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const runDir = join(options.resultsDir, stamp);
  mkdirSync(runDir, { recursive: true });
  log(`${options.quick ? 'quick' : 'full'} run: ${options.phases.join(', ')}; logs in ${runDir}`);

  const { harness, stop } = await startHarness(options, runDir, log);
  const interrupted = () => {
    log('interrupted: tearing down');
    void stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  let outcome;
  try {
    outcome = await runPhases(harness);
  } finally {
    log('stopping apps, dropping the database');
    await stop();
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }

  const record: BenchRecord = {
    startedAt: startedAt.toISOString(),
    quick: options.quick,
    machine: { cores: cpus().length, cpu: cpus()[0]?.model.trim() ?? 'unknown', totalMemoryMb: Math.round(totalmem() / 2 ** 20), node: process.version, platform: `${process.platform}-${process.arch}`, loadAverage: { start: loadAtStart, end: loadavg() } },
    git: gitState(),
    run: { database: harness.databaseName, queuePrefix: harness.queuePrefix, logs: runDir },
    settings: { ...harness.settings, batchSize: options.batchSize, ingestConcurrency: options.ingestConcurrency, batchConcurrency: options.batchConcurrency },
    phases: outcome.phases,
    errors: outcome.errors,
    targets: judgeTargets(outcome.phases),
    profiles: options.profile ? profiles(join(runDir, 'profiles')) : undefined,
  };
  const jsonFile = join(options.resultsDir, `${stamp}.json`);
  writeFileSync(jsonFile, `${JSON.stringify(record, null, 2)}\n`);
  console.log(renderReport(record));
  console.log(`\nresults: ${jsonFile}`);
  return Object.keys(outcome.errors).length > 0 ? 1 : 0;
}

function gitState(): BenchRecord['git'] {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim() !== '';
    return { commit, dirty };
  } catch {
    return { commit: null, dirty: null };
  }
}

function profiles(dir: string): Record<string, ProfileSummary> {
  const out: Record<string, ProfileSummary> = {};
  for (const app of ['api', 'dispatcher']) {
    const file = join(dir, `${app}.cpuprofile`);
    if (existsSync(file)) out[app] = summarizeProfile(file);
    else log(`no CPU profile for ${app} (${file}): did it exit cleanly?`);
  }
  return out;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
