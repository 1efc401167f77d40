import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { freePort } from './free-port.js';

/** A PgBouncer of one test file's own, in front of a Postgres. */
export interface PgBouncer {
  /** The PgBouncer's URL for `database` (every database of the server is reachable through it). */
  url(database: string): string;
  port: number;
  /** What it logged, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

/** On PATH, or where Debian installs it (/usr/sbin, off a normal user's PATH). */
function pgbouncerBinary(): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/sbin'];
  for (const dir of dirs) if (existsSync(join(dir, 'pgbouncer'))) return join(dir, 'pgbouncer');
  throw new Error('pgbouncer not found: install it (Debian/Ubuntu: apt-get install pgbouncer; macOS: brew install pgbouncer)');
}

/**
 * Starts PgBouncer 1.18+ on a free port of 127.0.0.1 in TRANSACTION pool mode in front of the
 * Postgres at `host:port` (trust auth, the `postgres` user in its userlist), with no
 * `ignore_startup_parameters` beyond what drivers send harmlessly: a client that sends session
 * settings at startup is refused, as a stock deployment would. PgBouncer refuses to run as root, so
 * as root it runs as the `postgres` user.
 */
export async function startPgBouncer(server = { host: '127.0.0.1', port: 5432 }): Promise<PgBouncer> {
  const binary = pgbouncerBinary();
  const dir = mkdtempSync(join(tmpdir(), 'inbox-pgbouncer-'));
  const port = await freePort();
  const ini = join(dir, 'pgbouncer.ini');
  const logfile = join(dir, 'pgbouncer.log');
  const pidfile = join(dir, 'pgbouncer.pid');
  writeFileSync(join(dir, 'userlist.txt'), '"postgres" ""\n');
  writeFileSync(
    ini,
    [
      '[databases]',
      `* = host=${server.host} port=${server.port}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${join(dir, 'userlist.txt')}`,
      'pool_mode = transaction',
      'max_client_conn = 500',
      'default_pool_size = 20',
      `logfile = ${logfile}`,
      `pidfile = ${pidfile}`,
      '',
    ].join('\n'),
  );
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
    chownSync(dir, id('-u'), id('-g'));
    for (const file of ['pgbouncer.ini', 'userlist.txt']) chownSync(join(dir, file), id('-u'), id('-g'));
  }
  const child = spawn(asRoot ? 'runuser' : binary, asRoot ? ['-u', 'postgres', '--', binary, ini] : [ini], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const log = () => (existsSync(logfile) ? readFileSync(logfile, 'utf8') : '');
  const deadline = Date.now() + 10_000;
  while (!/listening on 127\.0\.0\.1:\d+/.test(log())) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`pgbouncer did not start:\n${log()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    port,
    log,
    async stop() {
      // SIGINT: PgBouncer's immediate shutdown, sent to it by its pidfile (runuser does not pass it on).
      const pid = Number(readFileSync(pidfile, 'utf8').trim());
      if (pid > 0) process.kill(pid, 'SIGINT');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 3_000)))]);
      clearTimeout(timer);
      if (child.exitCode === null) {
        if (pid > 0) process.kill(pid, 'SIGKILL');
        child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
