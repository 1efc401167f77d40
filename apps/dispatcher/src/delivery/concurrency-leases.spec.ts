import type { Redis } from 'ioredis';
import { newId, type AccountId, type WebhookId } from '@inbox/db';
import { createRedis, loadDispatcherConfig } from '@inbox/server';
import { createTestRedisPrefix, testEnv, testRedisConnections } from '@inbox/testing';
import type { DispatcherMetrics } from '../metrics/dispatcher-metrics.js';
import { ConcurrencyLeases, destinationHost, LEASE_MARGIN_MS, type GlobalLease, type LeaseRefusal } from './concurrency-leases.js';

/** Real Redis: two lease holders on connections of their own stand for two dispatcher replicas. */
describe('ConcurrencyLeases (real Redis)', () => {
  const prefix = createTestRedisPrefix('leases');
  // A 1 s delivery timeout: leases live 1 s + the margin.
  const config = loadDispatcherConfig(
    testEnv({ REDIS_URL: prefix.url, INBOX_QUEUE_PREFIX: prefix.prefix, INBOX_ENDPOINT_CONCURRENCY: '2', INBOX_ACCOUNT_CONCURRENCY: '3', INBOX_DELIVERY_TIMEOUT: '1s' }),
  );
  const outcomes: string[] = [];
  const metrics = { leases: { inc: ({ outcome }: { outcome: string }) => outcomes.push(outcome) } } as unknown as DispatcherMetrics;
  const { connect, disconnectAll } = testRedisConnections(() => createRedis(prefix.url));
  let replicas: [ConcurrencyLeases, ConcurrencyLeases];
  let inspect: Redis;

  beforeAll(async () => {
    replicas = [new ConcurrencyLeases(await connect(), config, metrics), new ConcurrencyLeases(await connect(), config, metrics)];
    inspect = await connect();
  });

  afterAll(async () => {
    disconnectAll();
    await prefix.cleanup();
  });

  const record = (accountId: AccountId, webhookId: WebhookId, url = 'https://hooks.example.com/a') => ({ accountId, webhookId, url });
  const taken = (l: GlobalLease | LeaseRefusal): GlobalLease => {
    if (typeof l === 'string') throw new Error(`refused: ${l}`);
    return l;
  };

  it('holds an endpoint to its limit across replicas, and a freed lease lets the next one in', async () => {
    const r = record(newId('account'), newId('webhook'));
    const first = taken(await replicas[0].acquire(r));
    taken(await replicas[1].acquire(r));
    expect(await replicas[0].acquire(r)).toBe('endpoint');
    expect(await replicas[1].acquire(r)).toBe('endpoint');
    await replicas[0].release(first);
    taken(await replicas[1].acquire(r));
  });

  it("counts an account's endpoints on one host together, apart from its other hosts and other accounts", async () => {
    const account = newId('account');
    for (let i = 0; i < 3; i++) taken(await replicas[i % 2]!.acquire(record(account, newId('webhook'), `https://Tarpit.example.com:${8000 + i}/h${i}`)));
    expect(await replicas[0].acquire(record(account, newId('webhook'), 'https://tarpit.example.com/other'))).toBe('account_host');
    taken(await replicas[0].acquire(record(account, newId('webhook'), 'https://fast.example.com/h')));
    taken(await replicas[1].acquire(record(newId('account'), newId('webhook'), 'https://tarpit.example.com/h')));
  });

  it('takes a lease in both sets or in neither: a refusal by the account leaves the endpoint set as it was', async () => {
    const account = newId('account');
    for (let i = 0; i < 3; i++) taken(await replicas[0].acquire(record(account, newId('webhook'))));
    const webhookId = newId('webhook');
    expect(await replicas[0].acquire(record(account, webhookId))).toBe('account_host');
    expect(await inspect.exists(`${prefix.prefix}:leases:endpoint:${webhookId}`)).toBe(0);
  });

  it("frees a lease by itself after the delivery timeout and margin (a killed dispatcher's)", async () => {
    const r = record(newId('account'), newId('webhook'));
    taken(await replicas[0].acquire(r));
    taken(await replicas[0].acquire(r));
    const key = `${prefix.prefix}:leases:endpoint:${r.webhookId}`;
    const ttl = await inspect.pttl(key);
    expect(ttl).toBeGreaterThan(1_000 + LEASE_MARGIN_MS - 500);
    expect(ttl).toBeLessThanOrEqual(1_000 + LEASE_MARGIN_MS);
    expect(await replicas[1].acquire(r)).toBe('endpoint');
    // Rather than wait 6 s: age the leases to just expired, as Redis's clock would.
    const [seconds] = await inspect.time();
    for (const id of await inspect.zrange(key, '0', '-1')) await inspect.zadd(key, Number(seconds) * 1000 - 1, id);
    taken(await replicas[1].acquire(r));
  });

  it('releases idempotently: freeing a lease twice, or one already expired, frees no other', async () => {
    const r = record(newId('account'), newId('webhook'));
    const first = taken(await replicas[0].acquire(r));
    await replicas[0].release(first);
    taken(await replicas[1].acquire(r));
    taken(await replicas[1].acquire(r));
    await replicas[0].release(first);
    await replicas[1].release(first);
    expect(await replicas[0].acquire(r)).toBe('endpoint');
    expect(await inspect.zcard(`${prefix.prefix}:leases:endpoint:${r.webhookId}`)).toBe(2);
  });

  it('fails open while Redis is unavailable, and says so', async () => {
    const redis = await connect();
    const leases = new ConcurrencyLeases(redis, config, metrics);
    redis.disconnect();
    const r = record(newId('account'), newId('webhook'));
    for (let i = 0; i < 3; i++) expect(typeof (await leases.acquire(r))).toBe('object');
    expect(outcomes.filter((o) => o === 'unchecked')).toHaveLength(3);
    await expect(leases.release(taken(await leases.acquire(r)))).resolves.toBeUndefined();
  });

  it('counts by host name: lower case, without the port', () => {
    expect(destinationHost('https://API.Example.com:8443/x?y')).toBe('api.example.com');
  });
});
