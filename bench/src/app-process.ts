import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, closeSync, readFileSync } from 'node:fs';
import { request } from 'undici';
import { pollUntil } from './poll.js';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const CLOCK_TICKS = 100;

/**
 * One built app (`node apps/<name>/dist/main.js`) run as its own process, as production runs it:
 * the pid is the node process itself, so /proc/<pid> describes the app and nothing else.
 */
export class AppProcess {
  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    readonly logFile: string,
  ) {}

  static start(input: { name: string; main: string; env: Record<string, string>; logFile: string; nodeArgs?: string[] }): AppProcess {
    if (!existsSync(input.main)) {
      throw new Error(`${input.main} is missing: build the apps first (pnpm turbo run build --filter @inbox/bench...)`);
    }
    const log = openSync(input.logFile, 'a');
    try {
      const child = spawn(process.execPath, [...(input.nodeArgs ?? []), input.main], { env: input.env, stdio: ['ignore', log, log] });
      return new AppProcess(input.name, child, input.logFile);
    } finally {
      closeSync(log);
    }
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Waits until `url` answers 200 (the app's /health/ready), failing early if the process dies. */
  async waitReady(url: string, timeoutMs = 60_000): Promise<void> {
    await pollUntil(
      `${this.name} ready at ${url}`,
      async () => {
        if (!this.running) throw new Error(`${this.name} exited (${this.child.exitCode ?? this.child.signalCode}):\n${this.logTail()}`);
        try {
          const res = await request(url, { headersTimeout: 2000, bodyTimeout: 2000 });
          await res.body.dump();
          return res.statusCode === 200;
        } catch {
          return false;
        }
      },
      { timeoutMs, intervalMs: 100 },
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${this.logTail()}`);
    });
  }

  /** Resident set size (VmRSS) in bytes, from /proc/<pid>/status. */
  rssBytes(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]);
    if (!Number.isFinite(kb)) throw new Error(`no VmRSS in /proc/${this.pid}/status`);
    return kb * 1024;
  }

  /** CPU time (user + system) used so far, in ms, from /proc/<pid>/stat. */
  cpuMs(): number {
    return cpuMsOf(this.pid);
  }

  logTail(lines = 30): string {
    try {
      return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  /** SIGTERM (the app drains and exits; a --cpu-prof profile is written then), SIGKILL after `timeoutMs`. */
  async stop(timeoutMs = 20_000): Promise<void> {
    if (!this.running) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }
}

export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; fields after its closing parenthesis are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / CLOCK_TICKS;
}
