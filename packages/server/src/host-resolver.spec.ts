import { pbkdf2 } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startFakeNameserver, type Answer, type FakeNameserver, type QueryType } from '../test/support/fake-nameserver.js';
import { DnsLookupError, HostResolver, parseHostsFile, type HostResolverOptions } from './host-resolver.js';

const EMPTY_HOSTS = join(mkdtempSync(join(tmpdir(), 'hosts-')), 'none');

describe('HostResolver', () => {
  const servers: FakeNameserver[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  async function nameserver(answer: (name: string, type: QueryType) => Answer): Promise<FakeNameserver> {
    const server = await startFakeNameserver(answer);
    servers.push(server);
    return server;
  }

  const resolverFor = (server: FakeNameserver, options: Partial<HostResolverOptions> = {}) =>
    new HostResolver({ timeoutMs: 1_000, servers: [server.address], hostsFile: EMPTY_HOSTS, ...options });

  const publicAnswer = (_name: string, type: QueryType): Answer =>
    type === 'A' ? { addresses: ['203.0.113.7', '203.0.113.8'], ttl: 60 } : { addresses: ['2001:db8::7'], ttl: 30 };

  it('answers with the A and AAAA records, IPv4 first', async () => {
    const server = await nameserver(publicAnswer);
    await expect(resolverFor(server).resolve('Hooks.Example.com.')).resolves.toEqual([
      { address: '203.0.113.7', family: 4 },
      { address: '203.0.113.8', family: 4 },
      { address: '2001:db8::7', family: 6 },
    ]);
    expect(server.queries.map((q) => q.type).sort()).toEqual(['A', 'AAAA']);
    expect(server.queries.every((q) => q.name === 'hooks.example.com')).toBe(true);
  });

  it('keeps an answer for its TTL (capped by maxTtlMs), then asks again', async () => {
    const server = await nameserver(publicAnswer);
    const resolver = resolverFor(server, { maxTtlMs: 300 });
    await resolver.resolve('cached.example.com');
    await resolver.resolve('cached.example.com');
    expect(server.queries).toHaveLength(2); // one A, one AAAA: the second lookup was the cache
    await new Promise((r) => setTimeout(r, 400));
    await resolver.resolve('cached.example.com');
    expect(server.queries).toHaveLength(4);
  });

  it('does not cache an answer whose TTL is 0', async () => {
    const server = await nameserver((_name, type) => (type === 'A' ? { addresses: ['203.0.113.9'], ttl: 0 } : 'nxdomain'));
    const resolver = resolverFor(server);
    await resolver.resolve('rebind.example.com');
    await resolver.resolve('rebind.example.com');
    expect(server.queries).toHaveLength(4);
  });

  it('asks once for concurrent lookups of one name', async () => {
    const server = await nameserver(publicAnswer);
    const resolver = resolverFor(server);
    const answers = await Promise.all(Array.from({ length: 20 }, () => resolver.resolve('busy.example.com')));
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(server.queries).toHaveLength(2);
  });

  it('fails with ENOTFOUND for a name that does not exist', async () => {
    const server = await nameserver(() => 'nxdomain');
    await expect(resolverFor(server).resolve('gone.example.com')).rejects.toMatchObject({ name: 'DnsLookupError', code: 'ENOTFOUND' });
  });

  it('answers with the IPv4 addresses at the deadline when AAAA questions go unanswered', async () => {
    const server = await nameserver((_name, type) => (type === 'A' ? { addresses: ['203.0.113.10'], ttl: 60 } : 'drop'));
    const resolver = resolverFor(server, { timeoutMs: 300 });
    await expect(resolver.resolve('v4only.example.com')).resolves.toEqual([{ address: '203.0.113.10', family: 4 }]);
    await resolver.resolve('v4only.example.com');
    expect(server.queries.filter((q) => q.type === 'A').length).toBeGreaterThanOrEqual(2); // a partial answer is not cached
  });

  it('answers IP literals, localhost, the hosts file and .invalid without asking DNS', async () => {
    const server = await nameserver(publicAnswer);
    const hostsFile = join(mkdtempSync(join(tmpdir(), 'hosts-')), 'hosts');
    writeFileSync(hostsFile, '# comment\n127.0.0.1 localhost\n10.0.0.5  receiver.internal  receiver # the dev receiver\n::1 ip6-localhost\n');
    const resolver = resolverFor(server, { hostsFile });
    await expect(resolver.resolve('198.51.100.1')).resolves.toEqual([{ address: '198.51.100.1', family: 4 }]);
    await expect(resolver.resolve('[2001:db8::1]')).resolves.toEqual([{ address: '2001:db8::1', family: 6 }]);
    await expect(resolver.resolve('localhost')).resolves.toEqual([{ address: '127.0.0.1', family: 4 }]);
    await expect(resolver.resolve('app.localhost')).resolves.toEqual([
      { address: '127.0.0.1', family: 4 },
      { address: '::1', family: 6 },
    ]);
    await expect(resolver.resolve('RECEIVER')).resolves.toEqual([{ address: '10.0.0.5', family: 4 }]);
    await expect(resolver.resolve('no-such-host.invalid')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    expect(server.queries).toEqual([]);
  });

  it('works as a callback lookup: one address, or all of one family', async () => {
    const server = await nameserver(publicAnswer);
    const resolver = resolverFor(server);
    const lookup = (options: { all?: boolean; family?: number }) =>
      new Promise<unknown>((resolve, reject) =>
        resolver.lookup('cb.example.com', options, (error, address, family) => (error ? reject(error) : resolve(options.all ? address : { address, family }))),
      );
    await expect(lookup({})).resolves.toEqual({ address: '203.0.113.7', family: 4 });
    await expect(lookup({ all: true, family: 6 })).resolves.toEqual([{ address: '2001:db8::7', family: 6 }]);
  });

  describe('with a dead nameserver', () => {
    it('fails with ETIMEOUT soon after its deadline', async () => {
      const server = await nameserver(() => 'drop');
      const started = Date.now();
      const error = await resolverFor(server, { timeoutMs: 300 }).resolve('dead.example.com').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DnsLookupError);
      expect(error).toMatchObject({ code: 'ETIMEOUT', hostname: 'dead.example.com' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(server.queries.length).toBeGreaterThan(0);
    });

    it('does not hold the libuv thread pool: crypto and fs work while 64 lookups wait', async () => {
      const server = await nameserver(() => 'drop');
      const resolver = resolverFor(server, { timeoutMs: 1_500 });
      let settled = 0;
      const lookups = Array.from({ length: 64 }, (_, i) => resolver.resolve(`dead-${i}.example.com`).catch(() => settled++));
      await new Promise((r) => setTimeout(r, 50)); // the queries are out
      const started = Date.now();
      // Both run on the thread pool: 4 threads, which 64 getaddrinfo calls would have filled.
      await Promise.all([promisify(pbkdf2)('password', 'salt', 1_000, 32, 'sha256'), readFile(new URL(import.meta.url))]);
      const threadPoolMs = Date.now() - started;
      expect(settled).toBe(0); // every lookup was still waiting meanwhile
      expect(threadPoolMs).toBeLessThan(1_000);
      await Promise.all(lookups);
      expect(settled).toBe(64);
    });
  });
});

describe('parseHostsFile', () => {
  it('maps each name to its addresses, IPv4 first, skipping comments and junk', () => {
    const hosts = parseHostsFile('::1 localhost ip6-localhost\n127.0.0.1\tlocalhost\nnot-an-ip foo\n# 10.0.0.1 commented\n\n10.0.0.2 a.test b.test\n');
    expect(hosts.get('localhost')).toEqual([
      { address: '127.0.0.1', family: 4 },
      { address: '::1', family: 6 },
    ]);
    expect(hosts.get('b.test')).toEqual([{ address: '10.0.0.2', family: 4 }]);
    expect(hosts.has('foo')).toBe(false);
    expect(hosts.has('commented')).toBe(false);
  });
});
