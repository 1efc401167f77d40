import type { Cluster, Redis } from 'ioredis';
import { createRedisClient, FAIL_FAST_REDIS, WORKER_REDIS, withinRedisWait, type RedisClient, type RedisConfig } from './redis.js';

const connection = (status: string) => ({ status }) as unknown as Redis;

describe('withinRedisWait', () => {
  it('rejects at once, without starting the work, while the connection is not ready', async () => {
    let started = false;
    const work = async () => {
      started = true;
      return 'OK';
    };
    await expect(withinRedisWait(connection('reconnecting'), work)).rejects.toThrow('Redis connection is reconnecting');
    expect(started).toBe(false);
  });

  it("answers with the work's result when Redis answers in time", async () => {
    await expect(withinRedisWait(connection('ready'), async () => 'PONG')).resolves.toBe('PONG');
  });

  it('gives up once the wait is over, whatever the work is still doing', async () => {
    const started = Date.now();
    await expect(withinRedisWait(connection('ready'), () => new Promise(() => {}), 50)).rejects.toThrow('Redis did not answer within 50 ms');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('createRedisClient', () => {
  const single: RedisConfig = {
    redisUrl: 'redis://127.0.0.1:1/0',
    redisClusterNodes: undefined,
    redisSentinels: undefined,
    redisSentinelMaster: undefined,
    redisSentinelPassword: undefined,
    redisPassword: undefined,
    redisTls: false,
  };
  const clients: RedisClient[] = [];
  /** A client to nowhere that never dials (`lazyConnect`): only its options are looked at. */
  const make = (config: RedisConfig, profile?: Parameters<typeof createRedisClient>[1]) => {
    const client = createRedisClient(config, profile);
    client.on('error', () => {});
    clients.push(client);
    return client;
  };
  afterAll(() => clients.forEach((client) => client.disconnect()));

  it('connects to REDIS_URL fail-fast, with the password and TLS', () => {
    const client = make({ ...single, redisPassword: 'pw', redisTls: true }, { ...FAIL_FAST_REDIS, lazyConnect: true }) as Redis;
    expect(client.isCluster).toBe(false);
    expect(client.options).toMatchObject({ port: 1, enableOfflineQueue: false, maxRetriesPerRequest: 1, password: 'pw', tls: {} });
  });

  it('connects to a Cluster, keeping the worker profile: offline queue on the cluster, retries per node', () => {
    const client = make({ ...single, redisClusterNodes: [{ host: '127.0.0.1', port: 1 }], redisPassword: 'pw' }, { ...WORKER_REDIS, lazyConnect: true }) as Cluster;
    expect(client.isCluster).toBe(true);
    expect(client.options.enableOfflineQueue).toBe(true);
    expect(client.options.redisOptions).toMatchObject({ maxRetriesPerRequest: null, password: 'pw' });
    const failFast = make({ ...single, redisClusterNodes: [{ host: '127.0.0.1', port: 1 }] }, { ...FAIL_FAST_REDIS, lazyConnect: true }) as Cluster;
    expect(failFast.options.enableOfflineQueue).toBe(false);
    expect(failFast.options.redisOptions).toMatchObject({ maxRetriesPerRequest: 1 });
  });

  it("connects to Sentinel's master by name, TLS to the sentinels too", () => {
    const client = make({ ...single, redisSentinels: [{ host: '127.0.0.1', port: 1 }], redisSentinelMaster: 'inbox', redisTls: true }, { ...FAIL_FAST_REDIS, lazyConnect: true }) as Redis;
    expect(client.options).toMatchObject({ name: 'inbox', sentinels: [{ host: '127.0.0.1', port: 1 }], enableTLSForSentinelMode: true, sentinelTLS: {}, enableOfflineQueue: false });
  });

  it("gives Sentinel's master REDIS_PASSWORD and the sentinels REDIS_SENTINEL_PASSWORD, none when it is unset", () => {
    const sentinel: RedisConfig = { ...single, redisSentinels: [{ host: '127.0.0.1', port: 1 }], redisSentinelMaster: 'inbox', redisPassword: 'pw' };
    const client = make({ ...sentinel, redisSentinelPassword: 'spw' }, { ...FAIL_FAST_REDIS, lazyConnect: true }) as Redis;
    expect(client.options).toMatchObject({ password: 'pw', sentinelPassword: 'spw' });
    expect((make(sentinel, { ...FAIL_FAST_REDIS, lazyConnect: true }) as Redis).options.sentinelPassword).toBeUndefined();
  });
});
