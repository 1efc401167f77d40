import { execFile, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort } from './free-port.js';
import { redisClientSecurity, spawnRedis, stopRedis, type RedisSecurity } from './private-redis.js';

const run = promisify(execFile);
const READY_TIMEOUT_MS = 20_000;

/**
 * Why Cluster and Sentinel tests cannot run here, or undefined when `redis-server` and `redis-cli`
 * are on PATH. Synchronous, so a spec can choose `describe.skip` with it.
 */
export function redisToolsMissing(): string | undefined {
  for (const tool of ['redis-server', 'redis-cli']) {
    try {
      execFileSync(tool, ['--version'], { stdio: 'ignore' });
    } catch {
      return `${tool} is not installed (Debian: apt-get install redis-server); skipping the Redis Cluster and Sentinel tests`;
    }
  }
  return undefined;
}

/** Polls `check` until it is true, or fails naming `what` after `timeoutMs`. */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = READY_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Runs one command on the server at `port` (a short-lived connection, with `security`'s password and CA). */
async function command(port: number, security: RedisSecurity, name: string, ...args: (string | number)[]): Promise<unknown> {
  const redis = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 1, lazyConnect: true, ...redisClientSecurity(security) });
  try {
    await redis.connect();
    return await redis.call(name, ...args);
  } finally {
    redis.disconnect();
  }
}

/** Servers started by one helper, and the directory holding their files. */
async function stopAll(children: ChildProcess[], dir: string): Promise<void> {
  await Promise.all(children.map(stopRedis));
  await rm(dir, { recursive: true, force: true });
}

/**
 * A Redis Cluster of a test file's own: three masters on free ports of 127.0.0.1, no replicas, no
 * persistence; with `security`, every node requires the password and takes only TLS (the bus too).
 */
export interface PrivateRedisCluster {
  /** `REDIS_CLUSTER_NODES`: `127.0.0.1:<port>,…`. */
  nodes: string;
  ports: number[];
  /** Deletes every key matching `pattern` on every master; returns how many. */
  deleteKeys(pattern: string): Promise<number>;
  destroy(): Promise<void>;
}

export async function startPrivateRedisCluster(masters = 3, security: RedisSecurity = {}): Promise<PrivateRedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'inbox-redis-cluster-'));
  const children: ChildProcess[] = [];
  const ports: number[] = [];
  try {
    for (let i = 0; i < masters; i++) {
      // The bus port has its own free port: port + 10000 may be taken or past 65535.
      const [port, busPort] = [await freePort(), await freePort()];
      ports.push(port);
      const args = ['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`), '--cluster-port', String(busPort), '--dir', dir];
      children.push(await spawnRedis(port, { ...security, args }));
    }
    const tls = security.tls ? ['--tls', '--cacert', security.tls.ca] : [];
    // The password through the environment: `-a` would print a warning about the command line.
    const env = security.password === undefined ? process.env : { ...process.env, REDISCLI_AUTH: security.password };
    await run('redis-cli', [...tls, '--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], { env });
    for (const port of ports) {
      await until(`cluster_state:ok on 127.0.0.1:${port}`, async () => /cluster_state:ok/.test(String(await command(port, security, 'CLUSTER', 'INFO'))));
    }
  } catch (error) {
    await stopAll(children, dir);
    throw error;
  }
  return {
    nodes: ports.map((p) => `127.0.0.1:${p}`).join(','),
    ports,
    async deleteKeys(pattern) {
      let deleted = 0;
      for (const port of ports) {
        const redis = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 1, ...redisClientSecurity(security) });
        try {
          let cursor = '0';
          do {
            const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
            cursor = next;
            // One key at a time: a master holds keys of many slots, and a DEL may not span slots.
            for (const key of keys) deleted += await redis.del(key);
          } while (cursor !== '0');
        } finally {
          redis.disconnect();
        }
      }
      return deleted;
    },
    destroy: () => stopAll(children, dir),
  };
}

/** Redis under Sentinel, of a test file's own: a master, a replica and three sentinels (quorum 2). */
export interface PrivateSentinel {
  /** `REDIS_SENTINELS`: `127.0.0.1:<port>,…`. */
  sentinels: string;
  /** `REDIS_SENTINEL_MASTER`. */
  masterName: string;
  /** The port of the master, as the sentinels report it. */
  masterPort(): Promise<number>;
  /**
   * Makes the replica the master (`SENTINEL FAILOVER`), resolving once every sentinel reports it;
   * the old master becomes its replica. Returns the new master's port.
   */
  failover(): Promise<number>;
  destroy(): Promise<void>;
}

const MASTER_NAME = 'inbox';

/** Passwords for Redis under Sentinel (TLS is not offered here). */
export interface SentinelSecurity {
  /** The master's and the replica's `requirepass` (and `masterauth`); the sentinels' `auth-pass`. */
  password?: string;
  /** The sentinels' own `requirepass` (they use it with each other too). */
  sentinelPassword?: string;
}

/** Starts Redis under Sentinel; with `security`, the servers and/or the sentinels require passwords. */
export async function startPrivateSentinel(security: SentinelSecurity = {}): Promise<PrivateSentinel> {
  const servers: RedisSecurity = { password: security.password };
  const sentinelAuth: RedisSecurity = { password: security.sentinelPassword };
  const dir = await mkdtemp(join(tmpdir(), 'inbox-redis-sentinel-'));
  const children: ChildProcess[] = [];
  const sentinelPorts: number[] = [];
  const masterOf = async (sentinelPort: number) =>
    Number(((await command(sentinelPort, sentinelAuth, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME)) as string[])[1]);
  const replicasKnown = async (sentinelPort: number) => ((await command(sentinelPort, sentinelAuth, 'SENTINEL', 'REPLICAS', MASTER_NAME)) as unknown[]).length;
  const allSentinelsSee = async (check: (port: number) => Promise<boolean>) => (await Promise.all(sentinelPorts.map(check))).every(Boolean);
  let ports: number[] = [];
  try {
    const [masterPort, replicaPort] = [await freePort(), await freePort()];
    ports = [masterPort, replicaPort];
    children.push(await spawnRedis(masterPort, { ...servers, args: ['--dir', dir] }));
    children.push(await spawnRedis(replicaPort, { ...servers, args: ['--dir', dir, '--replicaof', '127.0.0.1', String(masterPort)] }));
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const configFile = join(dir, `sentinel-${port}.conf`);
      // Sentinels rewrite their config file: each has its own, writable.
      await writeFile(
        configFile,
        [
          `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${masterPort} 2`,
          `sentinel down-after-milliseconds ${MASTER_NAME} 1000`,
          `sentinel failover-timeout ${MASTER_NAME} 5000`,
          `sentinel parallel-syncs ${MASTER_NAME} 1`,
          ...(security.password === undefined ? [] : [`sentinel auth-pass ${MASTER_NAME} ${security.password}`]),
          ...(security.sentinelPassword === undefined ? [] : [`requirepass ${security.sentinelPassword}`]),
          '',
        ].join('\n'),
      );
      children.push(await spawnRedis(port, { configFile, args: ['--sentinel', '--dir', dir] }));
      sentinelPorts.push(port);
    }
    await until('the replica to sync', async () => /master_link_status:up/.test(String(await command(replicaPort, servers, 'INFO', 'replication'))));
    await until('every sentinel to know the replica and the others', () =>
      allSentinelsSee(async (port) => (await replicasKnown(port)) >= 1 && ((await command(port, sentinelAuth, 'SENTINEL', 'SENTINELS', MASTER_NAME)) as unknown[]).length >= 2),
    );
  } catch (error) {
    await stopAll(children, dir);
    throw error;
  }
  const masterPort = () => masterOf(sentinelPorts[0]!);
  return {
    sentinels: sentinelPorts.map((p) => `127.0.0.1:${p}`).join(','),
    masterName: MASTER_NAME,
    masterPort,
    async failover() {
      const before = await masterPort();
      const after = ports.find((p) => p !== before)!;
      // Refused (NOGOODSLAVE, INPROG) until the replica is in sync and known: retried until accepted.
      await until('SENTINEL FAILOVER to be accepted', async () => (await command(sentinelPorts[0]!, sentinelAuth, 'SENTINEL', 'FAILOVER', MASTER_NAME)) === 'OK');
      await until(`every sentinel to report 127.0.0.1:${after} as the master`, () => allSentinelsSee(async (port) => (await masterOf(port)) === after));
      await until('the new master to take writes', async () => /role:master/.test(String(await command(after, servers, 'INFO', 'replication'))));
      return after;
    },
    destroy: () => stopAll(children, dir),
  };
}
