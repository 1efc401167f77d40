import {
  createTestCertificates,
  redisTlsMissing,
  redisToolsMissing,
  startPrivateRedis,
  startPrivateRedisCluster,
  startPrivateSentinel,
  type TestCertificates,
} from '@inbox/testing';
import { DISPATCHER_MAIN, kill, runApp, type RunningProcess } from './support/process.js';
import { expectSignedDelivery, startPlatform, type Platform } from './support/platform.js';

const PASSWORD = 'redis-test-password';
const SENTINEL_PASSWORD = 'sentinel-test-password';
/** Loose: the readiness probe waits on Redis at most 250 ms (REDIS_WAIT_MS). */
const QUICK_MS = 2_000;

const toolsMissing = redisToolsMissing();
const tlsMissing = toolsMissing ?? redisTlsMissing();
for (const why of new Set([toolsMissing, tlsMissing])) if (why) console.warn(why);

/** A server (and what it needs) started once for the file, shared by the describes below. */
type Started<T> = { value: Promise<T>; stop(): Promise<void> };

/**
 * Every Redis of this file is started in parallel at once (each describe awaits its own), so the
 * file waits for the slowest, not the sum. A failed start fails only the describe that uses it.
 */
function startEarly<T extends { destroy(): Promise<void> }>(skip: string | undefined, start: () => Promise<T>): Started<T> {
  const value = skip ? new Promise<T>(() => {}) : start();
  value.catch(() => {}); // reported by the describe that awaits it
  return { value, stop: async () => (skip ? undefined : (await value.catch(() => undefined))?.destroy()) };
}

function startServers() {
  const certificates = startEarly(tlsMissing, createTestCertificates);
  const withCertificates = <T extends { destroy(): Promise<void> }>(start: (tls: TestCertificates) => Promise<T>) =>
    startEarly(tlsMissing, async () => start(await certificates.value));
  return {
    certificates,
    single: startEarly(toolsMissing, () => startPrivateRedis({ password: PASSWORD })),
    sentinel: startEarly(toolsMissing, () => startPrivateSentinel({ password: PASSWORD, sentinelPassword: SENTINEL_PASSWORD })),
    cluster: startEarly(toolsMissing, () => startPrivateRedisCluster(3, { password: PASSWORD })),
    tlsSingle: withCertificates((tls) => startPrivateRedis({ password: PASSWORD, tls })),
    tlsCluster: withCertificates((tls) => startPrivateRedisCluster(3, { password: PASSWORD, tls })),
  };
}
let servers: ReturnType<typeof startServers>;

beforeAll(() => {
  servers = startServers();
});

afterAll(async () => {
  const { certificates, ...rest } = servers;
  await Promise.all(Object.values(rest).map((server) => server.stop()));
  await certificates.stop();
});

/** `startPlatform` for one describe, closed after it. */
function platformFor(label: string, env: () => Promise<Record<string, string>>): () => Platform {
  let platform: Platform | undefined;
  beforeAll(async () => {
    platform = await startPlatform(label, await env());
  });
  afterAll(async () => {
    await platform?.close();
  });
  return () => platform!;
}

/**
 * Issue #14, end to end: `REDIS_PASSWORD` and `REDIS_TLS=true` reach the Redis servers in all three
 * modes (`REDIS_URL` stays `redis://host:port/db`, with no password in it). Both built apps run as
 * processes against private servers of this file's own and deliver an ingested event, signed, to a
 * local receiver.
 */
describe('Redis with a password and TLS', () => {
  (toolsMissing ? describe.skip : describe)('one server with requirepass', () => {
    const platform = platformFor('auth_single', async () => ({ REDIS_URL: (await servers.single.value).url, REDIS_PASSWORD: PASSWORD }));

    it('delivers with REDIS_PASSWORD beside a REDIS_URL without one', async () => {
      await expectSignedDelivery(platform());
    });

    it('without REDIS_PASSWORD the dispatcher boots but is not ready, saying Redis is unavailable at once', async () => {
      const env = Object.fromEntries(Object.entries(platform().world.env).filter(([key]) => key !== 'REDIS_PASSWORD'));
      let dispatcher: RunningProcess | undefined;
      try {
        dispatcher = await runApp(DISPATCHER_MAIN, env);
        const started = Date.now();
        const res = await fetch(`${dispatcher.url}/health/ready`);
        expect(Date.now() - started).toBeLessThan(QUICK_MS);
        expect(res.status).toBe(503);
        const body = (await res.json()) as { error: { redis: { status: string; message: string } } };
        expect(body.error.redis).toMatchObject({ status: 'down', message: expect.stringMatching(/^Redis connection is/) });
        // And why, in its log: the server asked for the password it was not given.
        expect(dispatcher.output.join('')).toMatch(/NOAUTH/);
      } finally {
        await kill(dispatcher);
      }
    });
  });

  (toolsMissing ? describe.skip : describe)('Sentinel: passwords on the master, the replica and the sentinels', () => {
    const platform = platformFor('auth_sentinel', async () => {
      const { sentinels, masterName } = await servers.sentinel.value;
      return { REDIS_URL: '', REDIS_SENTINELS: sentinels, REDIS_SENTINEL_MASTER: masterName, REDIS_PASSWORD: PASSWORD, REDIS_SENTINEL_PASSWORD: SENTINEL_PASSWORD };
    });

    it('delivers with REDIS_PASSWORD for the servers and REDIS_SENTINEL_PASSWORD for the sentinels', async () => {
      await expectSignedDelivery(platform());
    });
  });

  (toolsMissing ? describe.skip : describe)('a Cluster with requirepass and masterauth on every node', () => {
    const platform = platformFor('auth_cluster', async () => ({ REDIS_URL: '', REDIS_CLUSTER_NODES: (await servers.cluster.value).nodes, REDIS_PASSWORD: PASSWORD }));

    it('delivers with REDIS_PASSWORD', async () => {
      await expectSignedDelivery(platform());
    });
  });

  // The apps trust the test CA as operators would have them trust theirs: NODE_EXTRA_CA_CERTS.
  const tlsEnv = async () => ({ REDIS_TLS: 'true', REDIS_PASSWORD: PASSWORD, NODE_EXTRA_CA_CERTS: (await servers.certificates.value).ca });

  (tlsMissing ? describe.skip : describe)('one server over TLS only (no plain port), with a password', () => {
    const platform = platformFor('tls_single', async () => ({ ...(await tlsEnv()), REDIS_URL: `redis://127.0.0.1:${(await servers.tlsSingle.value).port}/0` }));

    it('delivers with REDIS_TLS=true and a redis:// REDIS_URL', async () => {
      await expectSignedDelivery(platform());
    });
  });

  (tlsMissing ? describe.skip : describe)('a Cluster over TLS only (clients and the bus), with a password', () => {
    const platform = platformFor('tls_cluster', async () => ({ ...(await tlsEnv()), REDIS_URL: '', REDIS_CLUSTER_NODES: (await servers.tlsCluster.value).nodes }));

    it('delivers with REDIS_TLS=true', async () => {
      await expectSignedDelivery(platform());
    });
  });
});
