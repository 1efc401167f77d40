import type { Harness } from './harness.js';
import type { Phase } from './options.js';
import { runBare } from './phases/bare.js';
import { runFairness } from './phases/fairness.js';
import { runFanout } from './phases/fanout.js';
import { runIsolation } from './phases/isolation.js';
import { latencySubscription, runLatency } from './phases/latency.js';
import { runLogs } from './phases/logs.js';
import { runMemory } from './phases/memory.js';
import { runStorage } from './phases/storage.js';
import { runThroughput } from './phases/throughput.js';
import type { PhaseResults } from './report.js';
import { assertAlive } from './workload.js';

/**
 * Runs the selected phases in order against one harness. A failed phase is recorded and the next
 * one runs, unless an app has died, which ends the run.
 */
export async function runPhases(h: Harness): Promise<{ phases: PhaseResults; errors: Partial<Record<Phase, string>> }> {
  const o = h.options;
  const phases: PhaseResults = {};
  const errors: Partial<Record<Phase, string>> = {};

  const steps: Record<Phase, () => Promise<void>> = {
    bare: async () => {
      phases.bare = await runBare(h, o.events);
    },
    throughput: async () => {
      phases.throughput = await runThroughput(h, 'single', o.events, phases.bare?.eventsPerSecond);
    },
    batch: async () => {
      phases.batch = await runThroughput(h, 'batch', o.events, phases.bare?.eventsPerSecond);
    },
    latency: async () => {
      phases.latency = [];
      for (const rate of o.latencyRates) {
        const path = `/latency-${rate}`;
        phases.latency.push(await runLatency(h, { rate, seconds: o.latencySeconds, path, sub: await latencySubscription(h, `latency ${rate}`, path) }));
      }
    },
    fanout: async () => {
      phases.fanout = [];
      for (const width of o.fanoutWidths) phases.fanout.push(await runFanout(h, width, o.fanoutRepeats));
    },
    memory: async () => {
      phases.memory = await runMemory(h, o.memoryEvents);
    },
    storage: async () => {
      phases.storage = await runStorage(h);
    },
    logs: async () => {
      phases.logs = await runLogs(h, { attempts: o.logsAttempts, requests: o.logsRequests, concurrency: o.logsConcurrency });
    },
    isolation: async () => {
      const baseline = phases.latency?.find((l) => l.rate === o.isolationRate);
      phases.isolation = await runIsolation(h, { backlog: o.isolationBacklog, rate: o.isolationRate, seconds: o.latencySeconds, baseline });
    },
    fairness: async () => {
      phases.fairness = await runFairness(h, { webhooks: o.fairnessWebhooks, events: o.fairnessEvents, rate: o.isolationRate, seconds: o.latencySeconds });
    },
  };

  for (const phase of o.phases) {
    h.log(`phase ${phase}…`);
    const started = Date.now();
    try {
      await steps[phase]();
      h.log(`phase ${phase} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } catch (error) {
      errors[phase] = (error as Error).message;
      h.log(`phase ${phase} FAILED: ${(error as Error).message}`);
      try {
        assertAlive(h);
      } catch {
        break;
      }
    }
  }
  return { phases, errors };
}
