import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadApiConfig, loadDispatcherConfig } from '@inbox/server';
import { ApiClient } from './api-client.js';
import { AppProcess } from './app-process.js';
import { appEnvironment, createBenchDatabase, createBenchRedisPrefix, freePort } from './environment.js';
import type { BenchOptions } from './options.js';
import { ReceiverProcess } from './receiver/receiver-process.js';

/** The dispatcher's Node flags in production (infra/k8s/base/dispatcher.yaml). */
const DISPATCHER_NODE_ARGS = ['--max-old-space-size=256'];

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const API_MAIN = join(REPO_ROOT, 'apps/api/dist/main.js');
const DISPATCHER_MAIN = join(REPO_ROOT, 'apps/dispatcher/dist/main.js');

/** The settings the apps run with that the bench measures against (parsed as the apps parse them). */
export interface DispatcherSettings {
  dispatcherConcurrency: number;
  endpointConcurrency: number;
  /** INBOX_ACCOUNT_CONCURRENCY: one account's requests in flight to one destination host. */
  accountConcurrency: number;
  deliveryTimeoutMs: number;
  databasePoolSize: number;
}

/** Everything a phase needs: the running apps, the receivers, the bench database and the API client. */
export interface Harness {
  options: BenchOptions;
  settings: DispatcherSettings;
  api: ApiClient;
  apiProcess: AppProcess;
  dispatcher: AppProcess;
  /** The dispatcher's health server. */
  dispatcherUrl: string;
  /** The dispatcher's GET /metrics (METRICS_PORT). */
  dispatcherMetricsUrl: string;
  /** Answers 200 at once. */
  receiver: ReceiverProcess;
  /** Never answers (the isolation phase's dead endpoint). */
  hangingReceiver: ReceiverProcess;
  /** The bench database, for counting recorded attempts. */
  db: pg.Pool;
  databaseName: string;
  queuePrefix: string;
  log: (line: string) => void;
}

/**
 * Starts a fresh world: database (migrated), Redis prefix, the two receivers and both apps.
 * Returns the harness and a stop() that tears all of it down again, whatever state it is in.
 */
export async function startHarness(options: BenchOptions, runDir: string, log: (line: string) => void): Promise<{ harness: Harness; stop: () => Promise<void> }> {
  const teardown: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const step of teardown.reverse()) await step().catch((error: unknown) => log(`teardown: ${(error as Error).message}`));
  };
  try {
    const database = await createBenchDatabase();
    teardown.push(database.drop);
    const redis = createBenchRedisPrefix();
    teardown.push(redis.cleanup);
    log(`database ${database.name}, redis prefix ${redis.prefix}`);

    const receiver = await ReceiverProcess.start('ok');
    teardown.push(() => receiver.stop());
    const db = new pg.Pool({ connectionString: database.url, max: 2 });
    teardown.push(() => db.end());

    const [apiPort, dispatcherPort, metricsPort] = [await freePort(), await freePort(), await freePort()];
    const env = appEnvironment({ databaseUrl: database.url, redisUrl: redis.url, queuePrefix: redis.prefix, apiPort, dispatcherPort });
    const { internalToken } = loadApiConfig(env);
    const config = loadDispatcherConfig(env);
    const nodeArgs = (name: string) => (options.profile ? ['--cpu-prof', `--cpu-prof-dir=${join(runDir, 'profiles')}`, `--cpu-prof-name=${name}.cpuprofile`] : []);

    const apiProcess = AppProcess.start({ name: 'api', main: API_MAIN, env, logFile: join(runDir, 'api.log'), nodeArgs: nodeArgs('api') });
    teardown.push(() => apiProcess.stop());
    // As infra/k8s/base/dispatcher.yaml runs it (old space capped: see bench/RESULTS.md, memory).
    const dispatcher = AppProcess.start({ name: 'dispatcher', main: DISPATCHER_MAIN, env: { ...env, METRICS_PORT: String(metricsPort) }, logFile: join(runDir, 'dispatcher.log'), nodeArgs: [...DISPATCHER_NODE_ARGS, ...nodeArgs('dispatcher')] });
    teardown.push(() => dispatcher.stop());
    // Stopped first: closing it fails the dispatcher's hung requests at once, so the dispatcher can
    // shut down without waiting out INBOX_DELIVERY_TIMEOUT.
    const hangingReceiver = await ReceiverProcess.start('hang');
    teardown.push(() => hangingReceiver.stop());

    await Promise.all([
      apiProcess.waitReady(`http://127.0.0.1:${apiPort}/health/ready`),
      dispatcher.waitReady(`http://127.0.0.1:${dispatcherPort}/health/ready`),
    ]);
    log(`api pid ${apiProcess.pid} on :${apiPort}, dispatcher pid ${dispatcher.pid} on :${dispatcherPort}`);

    const api = new ApiClient(`http://127.0.0.1:${apiPort}`, internalToken);
    teardown.push(() => api.close());
    const settings: DispatcherSettings = {
      dispatcherConcurrency: config.dispatcherConcurrency,
      endpointConcurrency: config.endpointConcurrency,
      accountConcurrency: config.accountConcurrency,
      deliveryTimeoutMs: config.deliveryTimeoutMs,
      databasePoolSize: config.databasePoolSize,
    };
    const dispatcherUrl = `http://127.0.0.1:${dispatcherPort}`;
    const dispatcherMetricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    const harness: Harness = { options, settings, api, apiProcess, dispatcher, dispatcherUrl, dispatcherMetricsUrl, receiver, hangingReceiver, db, databaseName: database.name, queuePrefix: redis.prefix, log };
    return { harness, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
