import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { RedisOptions } from 'ioredis';
import { freePort } from './free-port.js';

/** A throwaway CA and a server certificate it signed, for `127.0.0.1` and `localhost` (PEM files). */
export interface TestCertificates {
  /** The CA's certificate: what clients trust (`NODE_EXTRA_CA_CERTS`, `redis-cli --cacert`). */
  ca: string;
  /** The server's certificate and key. */
  cert: string;
  key: string;
  /** Deletes the files. */
  destroy(): Promise<void>;
}

/** How a private Redis server asks clients to prove themselves. Both off by default. */
export interface RedisSecurity {
  /** `requirepass`, and `masterauth` so replicas and cluster nodes reach each other. */
  password?: string;
  /**
   * TLS only: the server takes TLS on its port and has no plain one (`--port 0 --tls-port`), as do
   * replication and the cluster bus. Clients are not asked for certificates.
   */
  tls?: TestCertificates;
}

const execFileAsync = promisify(execFile);

/**
 * Why TLS tests cannot run here, or undefined when `openssl` is on PATH and `redis-server` was built
 * with TLS (Debian's is). Synchronous, so a spec can choose `describe.skip` with it.
 */
export function redisTlsMissing(): string | undefined {
  if (spawnSync('openssl', ['version'], { stdio: 'ignore' }).status !== 0) {
    return 'openssl is not installed (Debian: apt-get install openssl); skipping the Redis TLS tests';
  }
  // A build without TLS refuses `tls-port` as a bad directive; one with it gets to the bogus one after.
  const probe = spawnSync('redis-server', ['--tls-port', '0', '--inbox-tls-probe', 'yes'], { encoding: 'utf8' });
  if (probe.error) return 'redis-server is not installed (Debian: apt-get install redis-server); skipping the Redis TLS tests';
  if (/tls-port/.test(`${probe.stdout}${probe.stderr}`)) return 'this redis-server was built without TLS (BUILD_TLS=yes; Debian\'s has it); skipping the Redis TLS tests';
  return undefined;
}

/** A fresh CA and server certificate (EC P-256, a day) in a temporary directory, made with `openssl`. */
export async function createTestCertificates(): Promise<TestCertificates> {
  const dir = await mkdtemp(join(tmpdir(), 'inbox-redis-tls-'));
  const file = (name: string) => join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    await execFileAsync('openssl', ['req', '-x509', ...ec, '-keyout', file('ca.key'), '-out', file('ca.pem'), '-days', '1', '-subj', '/CN=inbox test CA']);
    await execFileAsync('openssl', ['req', '-new', ...ec, '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', '/CN=localhost']);
    // Node checks the name it dialled against the subjectAltName: the IP the apps and ioredis use.
    await writeFile(file('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n');
    await execFileAsync('openssl', ['x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-out', file('server.pem'), '-days', '1', '-extfile', file('server.ext')]);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return { ca: file('ca.pem'), cert: file('server.pem'), key: file('server.key'), destroy: () => rm(dir, { recursive: true, force: true }) };
}

/** `redis-server` arguments for `security` on `port`: they follow (and override) the plain defaults. */
function securityArgs(port: number, security: RedisSecurity): string[] {
  const args: string[] = [];
  if (security.password !== undefined) args.push('--requirepass', security.password, '--masterauth', security.password);
  if (security.tls) {
    const { cert, key, ca } = security.tls;
    args.push('--port', '0', '--tls-port', String(port), '--tls-cert-file', cert, '--tls-key-file', key, '--tls-ca-cert-file', ca);
    args.push('--tls-auth-clients', 'no', '--tls-replication', 'yes', '--tls-cluster', 'yes');
  }
  return args;
}

/** ioredis options for a test's own connection to a server started with `security` (trusting its CA). */
export function redisClientSecurity(security: RedisSecurity = {}): RedisOptions {
  return {
    ...(security.password !== undefined && { password: security.password }),
    ...(security.tls && { tls: { ca: readFileSync(security.tls.ca) } }),
  };
}

/** A Redis server of one test file's own: stopping it disturbs no other test file. */
export interface PrivateRedis {
  /** `redis://127.0.0.1:<port>/0`, with TLS too (the password is not in it: `REDIS_PASSWORD`, `REDIS_TLS`). */
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
 * `options`: a config file to read first (a sentinel's), a password and TLS (see RedisSecurity), and
 * arguments after the defaults.
 */
export function spawnRedis(port: number, options: { configFile?: string; args?: string[] } & RedisSecurity = {}): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    [
      ...(options.configFile ? [options.configFile] : []),
      ...['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'notice'],
      ...securityArgs(port, options),
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
 * stop and start their Redis, or need a password or TLS (`security`). Never point such a test at
 * the shared Redis.
 */
export async function startPrivateRedis(security: RedisSecurity = {}): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined = await spawnRedis(port, security);
  const stop = async () => {
    if (child) await stopRedis(child);
    child = undefined;
  };
  return {
    url: `redis://127.0.0.1:${port}/0`,
    port,
    stop,
    async start() {
      child ??= await spawnRedis(port, security);
    },
    pause: () => void child?.kill('SIGSTOP'),
    resume: () => void child?.kill('SIGCONT'),
    destroy: stop,
  };
}
