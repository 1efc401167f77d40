import { promises as dns } from 'node:dns';
import { readFileSync } from 'node:fs';
import { isIP, type LookupFunction } from 'node:net';
import { LRUCache } from 'lru-cache';

/** One address a host name resolves to. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export interface HostResolverOptions {
  /** Deadline for one lookup (A and AAAA together); past it the lookup fails with `ETIMEOUT`. */
  timeoutMs: number;
  /** Nameservers (`ip` or `ip:port`); default: the system's, from /etc/resolv.conf. */
  servers?: readonly string[];
  /** Consulted before DNS, read once at construction (a pod's hosts file is fixed for its life). */
  hostsFile?: string;
  /** Answers are kept for their TTL, but never longer than this (default 5 minutes). */
  maxTtlMs?: number;
  /** Host names cached at most; the least recently used go first (default 10 000). */
  maxEntries?: number;
}

/** A lookup that failed: `code` is `ENOTFOUND`, `ETIMEOUT` or the resolver's own (`ESERVFAIL`, …). */
export class DnsLookupError extends Error {
  constructor(
    readonly hostname: string,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DnsLookupError';
  }
}

/** Given a host and what it resolved to, the error that refuses it, or undefined to let it through. */
export type AddressCheck = (hostname: string, addresses: readonly ResolvedAddress[]) => Error | undefined;

const NO_DATA_CODES = new Set<string>([dns.NODATA, dns.NOTFOUND]);
const LOOPBACK: readonly ResolvedAddress[] = [
  { address: '127.0.0.1', family: 4 },
  { address: '::1', family: 6 },
];

/**
 * Resolves host names for outgoing connections without the libuv thread pool: `dns.lookup` is
 * getaddrinfo on that 4-thread pool, which fs, crypto and every other lookup share, so a few
 * lookups stuck on a dead nameserver would stall the whole process. Here A and AAAA go through
 * c-ares (`dns.promises.Resolver`, sockets on the event loop) under one deadline.
 *
 * Before DNS: IP literals answer themselves, the hosts file answers its names, `localhost` and
 * `*.localhost` are loopback and `*.invalid` never exists (both RFC 6761). Answers are cached for
 * their TTL (bounded), and concurrent lookups of one name share one query. Failures are not cached:
 * the next attempt asks again.
 */
export class HostResolver {
  private readonly resolver: dns.Resolver;
  private readonly hosts: ReadonlyMap<string, readonly ResolvedAddress[]>;
  private readonly cache: LRUCache<string, readonly ResolvedAddress[]>;
  private readonly inFlight = new Map<string, Promise<readonly ResolvedAddress[]>>();
  private readonly timeoutMs: number;
  private readonly maxTtlMs: number;
  /** This resolver as `dns.lookup` for `net.connect` and undici's `connect.lookup`. */
  readonly lookup: LookupFunction = this.lookupFunction();

  constructor(options: HostResolverOptions) {
    this.timeoutMs = options.timeoutMs;
    this.maxTtlMs = options.maxTtlMs ?? 5 * 60_000;
    // Two tries per nameserver inside the deadline: a lost UDP packet is retried, not fatal.
    this.resolver = new dns.Resolver({ timeout: Math.max(50, Math.floor(options.timeoutMs / 4)), tries: 2 });
    if (options.servers) this.resolver.setServers(options.servers);
    this.hosts = readHostsFile(options.hostsFile ?? '/etc/hosts');
    this.cache = new LRUCache({ max: options.maxEntries ?? 10_000 });
  }

  /** Every address `hostname` resolves to, IPv4 first; rejects with a `DnsLookupError`. */
  async resolve(hostname: string): Promise<readonly ResolvedAddress[]> {
    const host = normalize(hostname);
    const family = isIP(host);
    if (family === 4 || family === 6) return [{ address: host, family }];
    const local = this.hosts.get(host) ?? (isLocalhost(host) ? LOOPBACK : undefined);
    if (local) return local;
    if (host === 'invalid' || host.endsWith('.invalid') || host === '') {
      throw new DnsLookupError(hostname, dns.NOTFOUND, `${hostname} does not exist`);
    }
    const cached = this.cache.get(host);
    if (cached) return cached;
    let pending = this.inFlight.get(host);
    if (!pending) {
      pending = this.query(hostname, host).finally(() => this.inFlight.delete(host));
      this.inFlight.set(host, pending);
    }
    return pending;
  }

  /** A `dns.lookup` replacement that fails with `check`'s error when `check` refuses the answer. */
  lookupFunction(check?: AddressCheck): LookupFunction {
    return (hostname, options, callback) => {
      const wanted = familyOf(options.family);
      this.resolve(hostname)
        .then((all) => {
          const refused = check?.(hostname, all);
          if (refused) throw refused;
          const addresses = wanted === 0 ? all : all.filter((a) => a.family === wanted);
          if (addresses.length === 0) throw new DnsLookupError(hostname, dns.NOTFOUND, `${hostname} has no IPv${wanted} address`);
          return addresses;
        })
        // Called on a later tick, as dns.lookup does: whatever the callback throws is not this promise's.
        .then(
          (addresses) =>
            process.nextTick(() => {
              if (options.all) return callback(null, addresses.map((a) => ({ ...a })));
              callback(null, addresses[0]!.address, addresses[0]!.family);
            }),
          (error: Error) => process.nextTick(() => callback(error as NodeJS.ErrnoException, '')),
        );
    };
  }

  /**
   * A and AAAA in parallel. At the deadline, whatever answered is the answer (a nameserver that
   * drops AAAA queries does not fail IPv4 hosts); with no answer at all, the lookup fails.
   */
  private async query(hostname: string, host: string): Promise<readonly ResolvedAddress[]> {
    const answers: Array<ResolvedAddress & { ttl: number }> = [];
    const errors: string[] = [];
    const ask = (family: 4 | 6) =>
      (family === 4 ? this.resolver.resolve4(host, { ttl: true }) : this.resolver.resolve6(host, { ttl: true })).then(
        (records) => answers.push(...records.map((r) => ({ address: r.address, family, ttl: r.ttl }))),
        (error: NodeJS.ErrnoException) => errors.push(error.code ?? 'EUNKNOWN'),
      );
    const settled = await settledWithin(Promise.all([ask(4), ask(6)]), this.timeoutMs);
    if (answers.length === 0) throw lookupFailure(hostname, settled ? errors : [], this.timeoutMs);
    answers.sort((a, b) => a.family - b.family);
    const addresses = answers.map(({ address, family }) => ({ address, family }));
    const ttlMs = Math.min(...answers.map((a) => a.ttl)) * 1000;
    // An unsettled family would be missing from the cache for the whole TTL; a TTL of 0 means "do not cache".
    if (settled && ttlMs > 0) this.cache.set(host, addresses, { ttl: Math.min(ttlMs, this.maxTtlMs) });
    return addresses;
  }
}

/** Whether `promise` settled within `ms` (it is left running either way). */
async function settledWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true as const), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** No answer: a timeout if the deadline came first, "does not exist" if every query said so, else the resolver's error. */
function lookupFailure(hostname: string, errors: readonly string[], timeoutMs: number): DnsLookupError {
  if (errors.length === 0) return new DnsLookupError(hostname, dns.TIMEOUT, `no DNS answer for ${hostname} within ${timeoutMs} ms`);
  const failure = errors.find((code) => !NO_DATA_CODES.has(code));
  if (!failure) return new DnsLookupError(hostname, dns.NOTFOUND, `${hostname} does not resolve`);
  return new DnsLookupError(hostname, failure, `DNS lookup of ${hostname} failed (${failure})`);
}

function normalize(hostname: string): string {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return bare.toLowerCase().replace(/\.$/, '');
}

function isLocalhost(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost');
}

function familyOf(family: number | string | undefined): 0 | 4 | 6 {
  if (family === 4 || family === 'IPv4') return 4;
  if (family === 6 || family === 'IPv6') return 6;
  return 0;
}

/** `/etc/hosts` as name → addresses (in file order); an unreadable file is an empty one. */
export function parseHostsFile(text: string): Map<string, ResolvedAddress[]> {
  const hosts = new Map<string, ResolvedAddress[]>();
  for (const line of text.split('\n')) {
    const [address, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    const family = address ? isIP(address) : 0;
    if (!address || (family !== 4 && family !== 6)) continue;
    for (const name of names) {
      const key = normalize(name);
      const list = hosts.get(key) ?? [];
      if (!list.some((a) => a.address === address)) list.push({ address, family });
      hosts.set(key, list);
    }
  }
  for (const list of hosts.values()) list.sort((a, b) => a.family - b.family);
  return hosts;
}

function readHostsFile(path: string): Map<string, ResolvedAddress[]> {
  try {
    return parseHostsFile(readFileSync(path, 'utf8'));
  } catch {
    return new Map();
  }
}
