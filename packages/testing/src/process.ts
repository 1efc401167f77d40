import { spawn, type ChildProcess } from 'node:child_process';

export interface RunningProcess {
  child: ChildProcess;
  /** The URL the process printed once it was up (the API's; the dispatcher's health). */
  url: string;
  /** Its `GET /metrics` (METRICS_PORT), as it printed it beside `url`. */
  metricsUrl: string | undefined;
  /** Everything it printed (stdout and stderr), for failure messages. */
  output: string[];
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
}

/** How long a built app may take to say it is up: generous, since a busy 2-core CI machine boots Nest slowly. */
const START_TIMEOUT_MS = 45_000;

/**
 * Runs a built app (`node dist/main.js`) as a child process with `env` on top of this process's,
 * and resolves once it logged that it is up (its URL).
 */
export async function runApp(main: string, env: Record<string, string>, upPattern = /(?:running|listening on).*?(http:\/\/[^\s)"]+)/): Promise<RunningProcess> {
  // Info level: the line saying it is up is what tells us it is ready.
  const child = spawn(process.execPath, [main], { env: { ...process.env, ...env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${main} did not start in ${START_TIMEOUT_MS / 1000} s:\n${output.join('')}`));
    }, START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString('utf8'));
      const match = upPattern.exec(output.join(''));
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${main} exited (${code}) before it was up:\n${output.join('')}`));
    });
  });
  const metricsUrl = /metrics on (http:\/\/[^\s)"]+)/.exec(output.join(''))?.[1];
  return { child, url, metricsUrl, output, exited };
}

/**
 * Runs several built apps at once (`runApp` each); if one does not come up, the others are
 * stopped before the error is thrown, so no process outlives a failed start.
 */
export async function runApps(mains: readonly string[], env: Record<string, string>): Promise<RunningProcess[]> {
  const started = await Promise.allSettled(mains.map((main) => runApp(main, env)));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (!failed) return started.map((s) => (s as PromiseFulfilledResult<RunningProcess>).value);
  await Promise.all(started.map((s) => (s.status === 'fulfilled' ? kill(s.value) : undefined)));
  throw failed.reason;
}

/** SIGKILLs the process if it is still running and waits for it to be gone. */
export async function kill(running: RunningProcess | undefined): Promise<void> {
  if (!running || running.child.exitCode !== null || running.child.signalCode !== null) return;
  running.child.kill('SIGKILL');
  await running.exited;
}
