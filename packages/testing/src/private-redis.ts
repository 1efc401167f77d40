import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './free-port.js';

/** A Redis server of one test file's own: stopping it disturbs no other test file. */
export interface PrivateRedis {
  /** `redis://127.0.0.1:<port>/0`. */
  url: string;
  port: number;
  /** Stops the server (open connections are cut, as in an outage). It keeps no data: a restart starts empty. */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  /** Freezes the server (SIGSTOP): connections stay open and nothing answers, as with a hung Redis. */
  pause(): void;
  /** Unfreezes it (SIGCONT): it answers what it was sent meanwhile. */
  resume(): void;
  /** Stops it for good (call it in afterAll). */
  destroy(): Promise<void>;
}

// A sentinel never says it is ready; it is once it has its ID.
const READY_LINE = /Ready to accept connections|Sentinel ID is/;
const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

/**
 * Runs `redis-server` on `port` without persistence, resolving once it accepts connections.
 * `options`: a config file to read first (a sentinel's) and arguments after the defaults.
 */
export function spawnRedis(port: number, options: { configFile?: string; args?: string[] } = {}): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    [
      ...(options.configFile ? [options.configFile] : []),
      ...['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'notice'],
      ...(options.args ?? []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // A test process that dies without its afterAll must not leave a server behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  return new Promise((resolve, reject) => {
    let output = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`redis-server on port ${port} ${why}:\n${output}`));
    };
    const timer = setTimeout(() => fail(`did not start in ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    const onEarlyExit = (code: number | null, signal: NodeJS.Signals | null) => fail(`exited (${code ?? signal}) before it was ready`);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (!READY_LINE.test(output)) return;
      clearTimeout(timer);
      child.stdout?.removeListener('data', onData);
      child.stderr?.removeListener('data', onData);
      child.removeListener('exit', onEarlyExit);
      // Keep draining its pipes so a chatty server never blocks on a full one.
      child.stdout?.resume();
      child.stderr?.resume();
      resolve(child);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (error) => fail(`could not run (${error.message}); install it (Debian: apt-get install redis-server)`));
    child.once('exit', onEarlyExit);
  });
}

/** SIGTERM (no persistence, so it exits at once), SIGKILL if it lingers; resolves once it is gone. */
export async function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGCONT'); // a paused server would hold SIGTERM until resumed
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts a throwaway `redis-server` on a free port on 127.0.0.1 (no persistence), for tests that
 * stop and start their Redis. Never point such a test at the shared Redis.
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined = await spawnRedis(port);
  const stop = async () => {
    if (child) await stopRedis(child);
    child = undefined;
  };
  return {
    url: `redis://127.0.0.1:${port}/0`,
    port,
    stop,
    async start() {
      child ??= await spawnRedis(port);
    },
    pause: () => void child?.kill('SIGSTOP'),
    resume: () => void child?.kill('SIGCONT'),
    destroy: stop,
  };
}
