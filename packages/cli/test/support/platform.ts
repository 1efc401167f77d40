// Shared by the CLI's end-to-end specs (commands and `listen`): the built API and dispatcher as
// real processes on this file's own database and Redis prefix, an account made with the internal
// token, and the built CLI (`node dist/main.js`) run as a child process.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, createTestRedisPrefix, kill, runApps, testEnv, type RunningProcess } from '@inbox/testing';

/** The built CLI (`pnpm --filter @inbox/cli test` builds it first). */
export const CLI_MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
/** The built API and dispatcher (built before this package's tests: they are its devDependencies). */
export const API_MAIN = fileURLToPath(new URL('../../../../apps/api/dist/main.js', import.meta.url));
export const DISPATCHER_MAIN = fileURLToPath(new URL('../../../../apps/dispatcher/dist/main.js', import.meta.url));

export interface Platform {
  /** The API's base URL, e.g. http://127.0.0.1:41234. */
  apiUrl: string;
  /** The env both apps run with (INBOX_INTERNAL_TOKEN among it). */
  env: Record<string, string>;
  api: RunningProcess;
  dispatcher: RunningProcess;
  /** A new account (POST /internal/v1/accounts) and its API key. */
  createAccount(name?: string): Promise<{ id: string; apiKey: string }>;
  /** A fresh XDG_CONFIG_HOME for this file (`inbox login` writes there); removed by `close`. */
  configHome: string;
  /** Runs the CLI to its end, with INBOX_API_URL set to this platform and `apiKey` as INBOX_API_KEY when given. */
  cli(args: string[], options?: CliRunOptions): Promise<CliResult>;
  /** Starts the CLI and returns while it runs (`logs --follow`, `listen`). */
  spawnCli(args: string[], options?: CliRunOptions): RunningCli;
  close(): Promise<void>;
}

export interface CliRunOptions {
  /** INBOX_API_KEY for the run (omit to test the config file or its absence). */
  apiKey?: string;
  /** Extra env (wins over the defaults); a value of undefined removes the variable. */
  env?: Record<string, string | undefined>;
  /** Written to the CLI's stdin, which is then closed. */
  stdin?: string;
  timeoutMs?: number;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  child: ChildProcess;
  /** Everything printed so far. */
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves once stdout (or stderr) matches; rejects after `timeoutMs` with what was printed. */
  waitFor(pattern: RegExp, options?: { stream?: 'stdout' | 'stderr'; timeoutMs?: number }): Promise<RegExpExecArray>;
  /** Sends `signal` (default SIGINT) and resolves with how it ended. */
  stop(signal?: NodeJS.Signals): Promise<CliResult>;
  exited: Promise<CliResult>;
}

/** Starts the platform (API + dispatcher) for one test file. */
export async function startPlatform(label: string, overrides: Record<string, string> = {}): Promise<Platform> {
  const db = await createTestDatabase(label);
  const redis = createTestRedisPrefix(label);
  const env = testEnv({ DATABASE_URL: db.url, REDIS_URL: redis.url, INBOX_QUEUE_PREFIX: redis.prefix, ...overrides });
  const [api, dispatcher] = (await runApps([API_MAIN, DISPATCHER_MAIN], env)) as [RunningProcess, RunningProcess];
  const configHome = await mkdtemp(join(tmpdir(), `inbox-cli-${label}-`));
  const apiUrl = api.url.replace(/\/+$/, '');

  const baseEnv = (options: CliRunOptions): NodeJS.ProcessEnv => {
    const merged: NodeJS.ProcessEnv = { ...process.env, INBOX_API_URL: apiUrl, XDG_CONFIG_HOME: configHome };
    delete merged.INBOX_API_KEY;
    delete merged.NO_COLOR;
    delete merged.FORCE_COLOR;
    delete merged.NODE_OPTIONS; // jest's --experimental-vm-modules is not the CLI's business
    if (options.apiKey !== undefined) merged.INBOX_API_KEY = options.apiKey;
    for (const [key, value] of Object.entries(options.env ?? {})) {
      if (value === undefined) delete merged[key];
      else merged[key] = value;
    }
    return merged;
  };

  return {
    apiUrl,
    env,
    api,
    dispatcher,
    configHome,
    async createAccount(name = `${label} Inc`) {
      const response = await fetch(`${apiUrl}/internal/v1/accounts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${env.INBOX_INTERNAL_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      });
      const body = (await response.json()) as { id: string; api_key: string };
      if (response.status !== 201) throw new Error(`POST /internal/v1/accounts: ${response.status} ${JSON.stringify(body)}`);
      return { id: body.id, apiKey: body.api_key };
    },
    cli(args, options = {}) {
      return runCli(args, baseEnv(options), options);
    },
    spawnCli(args, options = {}) {
      return spawnCli(args, baseEnv(options), options);
    },
    async close() {
      await kill(dispatcher);
      await kill(api);
      await rm(configHome, { recursive: true, force: true });
      await redis.cleanup();
      await db.drop();
    },
  };
}

/** Runs the built CLI with exactly `env` until it exits (SIGKILLed after `timeoutMs`, default 30 s). */
export async function runCli(args: string[], env: NodeJS.ProcessEnv, options: Pick<CliRunOptions, 'stdin' | 'timeoutMs'> = {}): Promise<CliResult> {
  const running = spawnCli(args, env, options);
  const timer = setTimeout(() => running.child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
  const result = await running.exited;
  clearTimeout(timer);
  return result;
}

/** Starts the built CLI with exactly `env`. */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv, options: Pick<CliRunOptions, 'stdin'> = {}): RunningCli {
  const child = spawn(process.execPath, [CLI_MAIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((listener) => listener());
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    changed();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
    changed();
  });
  if (options.stdin !== undefined) child.stdin!.end(options.stdin);
  else child.stdin!.end();
  const exited = new Promise<CliResult>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    exited,
    waitFor(pattern, { stream, timeoutMs = 10_000 } = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const text = stream === 'stderr' ? stderr : stream === 'stdout' ? stdout : `${stdout}\n${stderr}`;
          const match = pattern.exec(text);
          if (match) {
            done();
            resolve(match);
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no ${pattern} within ${timeoutMs} ms.\nstdout:\n${stdout}\nstderr:\n${stderr}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        void exited.then(() => {
          check();
          if (listeners.has(check)) {
            done();
            reject(new Error(`the CLI exited before printing ${pattern}.\nstdout:\n${stdout}\nstderr:\n${stderr}`));
          }
        });
        check();
      });
    },
    async stop(signal = 'SIGINT') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** A TCP port nothing listens on (for "platform unreachable"). */
export { freePort as closedPort } from '@inbox/testing';
