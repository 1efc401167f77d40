import { parseArgs } from 'node:util';

/**
 * Phases in the order they run: storage after the phases that store most events and before logs
 * loads its synthetic history; isolation and fairness last (their hanging backlogs outlive them).
 */
export const PHASES = ['bare', 'throughput', 'batch', 'latency', 'fanout', 'memory', 'storage', 'logs', 'isolation', 'fairness'] as const;
export type Phase = (typeof PHASES)[number];

export interface BenchOptions {
  quick: boolean;
  phases: Phase[];
  /** Events per throughput phase (and the bare loop's requests). */
  events: number;
  /** Open-loop rates of the latency phase, events/s. */
  latencyRates: number[];
  latencySeconds: number;
  fanoutWidths: number[];
  /** Repeats of each fan-out (the median is reported). */
  fanoutRepeats: number;
  isolationBacklog: number;
  isolationRate: number;
  memoryEvents: number;
  /** Fairness: account A's webhooks on the hanging receiver and its burst of events (each to every webhook). */
  fairnessWebhooks: number;
  fairnessEvents: number;
  /** Logs: attempts loaded for one webhook, and the timed logs API requests. */
  logsAttempts: number;
  logsRequests: number;
  logsConcurrency: number;
  /** Events per request on the batch route. */
  batchSize: number;
  /** Requests in flight while ingesting one event per request (closed loop). */
  ingestConcurrency: number;
  /** Batch requests in flight. */
  batchConcurrency: number;
  profile: boolean;
  resultsDir: string;
}

export const USAGE = `Usage: pnpm bench [--quick] [--events N] [--only phase,...] [--profile] [--results-dir DIR]

  --quick          smoke run: ~1k events, 2 s latency phases, 10-webhook fan-out,
                   2k-event isolation backlog, 5k-event memory phase, a 2k-delivery
                   fairness burst, 20k attempts for the logs queries (about a minute)
  --events N       events per throughput phase and bare-loop requests (default 20000; quick 1000)
  --only LIST      run only these phases: ${PHASES.join(', ')}
  --profile        run both apps with --cpu-prof and print their top self-time functions
  --results-dir D  where the JSON (and logs, profiles) go (default bench/results)`;

export function parseOptions(argv: string[], defaultResultsDir: string): BenchOptions {
  const { values } = parseArgs({
    // `pnpm bench --quick` reaches us as `-- --quick` (the root script ends in `--`).
    args: argv.filter((a) => a !== '--'),
    options: {
      quick: { type: 'boolean', default: false },
      events: { type: 'string' },
      only: { type: 'string' },
      profile: { type: 'boolean', default: false },
      'results-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const quick = values.quick;
  const events = values.events === undefined ? (quick ? 1000 : 20_000) : positiveInt('--events', values.events);
  const only = values.only?.split(',').map((p) => p.trim()).filter(Boolean);
  for (const phase of only ?? []) {
    if (!(PHASES as readonly string[]).includes(phase)) throw new Error(`--only: unknown phase "${phase}" (phases: ${PHASES.join(', ')})`);
  }
  return {
    quick,
    phases: PHASES.filter((p) => !only || only.includes(p)),
    events,
    latencyRates: [500, 1000],
    latencySeconds: quick ? 2 : 20,
    fanoutWidths: quick ? [10] : [10, 100],
    fanoutRepeats: 3,
    isolationBacklog: quick ? 2000 : 10_000,
    isolationRate: 500,
    memoryEvents: quick ? 5000 : 200_000,
    fairnessWebhooks: quick ? 20 : 100,
    fairnessEvents: quick ? 100 : 200,
    logsAttempts: quick ? 20_000 : 1_000_000,
    logsRequests: quick ? 100 : 300,
    logsConcurrency: 8,
    batchSize: 200,
    ingestConcurrency: 64,
    batchConcurrency: 4,
    profile: values.profile,
    resultsDir: values['results-dir'] ?? defaultResultsDir,
  };
}

function positiveInt(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${flag} must be a positive integer (got "${text}")`);
  return n;
}
