import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { DispatchRecord } from '@inbox/db';
import { DISPATCHER_CONFIG, queuePrefix, REDIS, ThrottledWarning, withinRedisWait, type DispatcherConfig, type RedisClient } from '@inbox/server';
import { DispatcherMetrics } from '../metrics/dispatcher-metrics.js';

/** A lease outlives the longest request it can cover (the delivery timeout) by this much. */
export const LEASE_MARGIN_MS = 5_000;

/**
 * Takes a lease in every set of KEYS or in none. Each key is a sorted set of lease ids scored by
 * when they expire (Redis's clock, one for every replica); expired ones are dropped first, so a
 * lease of a killed dispatcher frees itself. ARGV: lease id, lifetime ms, then one limit per key.
 * Answers 0 when taken, else the 1-based index of the first key that was full.
 */
const ACQUIRE = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local lifetime = tonumber(ARGV[2])
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
  if redis.call('ZCARD', key) >= tonumber(ARGV[2 + i]) then return i end
end
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, now + lifetime, ARGV[1])
  redis.call('PEXPIRE', key, lifetime)
end
return 0
`;

/** Frees a lease in every set of KEYS; freeing one already gone (expired, freed) does nothing. */
const RELEASE = `
for _, key in ipairs(KEYS) do redis.call('ZREM', key, ARGV[1]) end
return 0
`;

interface LeaseCommands {
  inboxAcquireLease(endpointKey: string, accountHostKey: string, leaseId: string, lifetimeMs: number, endpointLimit: number, accountHostLimit: number): Promise<number>;
  inboxReleaseLease(endpointKey: string, accountHostKey: string, leaseId: string): Promise<number>;
}

/** A place in every set a request counts in (the sets' keys, to free it from). */
export interface GlobalLease {
  id: string;
  /** The endpoint's set, then the account-at-host's. */
  keys: [string, string];
}

/** Why no lease: its endpoint, or its account at that host, has its maximum in flight across the replicas. */
export type LeaseRefusal = 'endpoint' | 'account_host';

/** The part of a webhook URL an account's requests are counted by: its host name, lower case, without the port. */
export function destinationHost(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return url;
  }
}

/**
 * The limits on requests in flight that hold across every dispatcher replica together, as leases
 * in Redis under the queue prefix's hash tag (all keys on one Cluster slot):
 * - `INBOX_ENDPOINT_CONCURRENCY` per endpoint (webhook);
 * - `INBOX_ACCOUNT_CONCURRENCY` per account and destination host: an account's webhooks on one host
 *   (100 webhooks on one tarpit) count together, while its other hosts and other accounts are apart.
 *
 * Taken after the in-process slot (`EndpointLimiter`, the fast path that also bounds each process)
 * and freed as soon as the response is in. A lease lasts the delivery timeout plus a margin, so one
 * a killed dispatcher held frees itself. Fails open: while Redis is unavailable or slower than
 * `REDIS_WAIT_MS` a request goes with only the in-process limit (counted, logged every 10 s).
 */
@Injectable()
export class ConcurrencyLeases {
  private readonly log = new Logger('ConcurrencyLeases');
  private readonly unavailable = new ThrottledWarning((m) => this.log.warn(m));
  private readonly redis: RedisClient & LeaseCommands;
  private readonly prefix: string;
  private readonly lifetimeMs: number;

  constructor(
    @Inject(REDIS) redis: RedisClient,
    @Inject(DISPATCHER_CONFIG) private readonly config: DispatcherConfig,
    private readonly metrics: DispatcherMetrics,
  ) {
    // Both keys share the queue prefix's hash tag: one Cluster slot.
    redis.defineCommand('inboxAcquireLease', { numberOfKeys: 2, lua: ACQUIRE });
    redis.defineCommand('inboxReleaseLease', { numberOfKeys: 2, lua: RELEASE });
    this.redis = redis as RedisClient & LeaseCommands;
    this.prefix = `${queuePrefix(config)}:leases`;
    this.lifetimeMs = config.deliveryTimeoutMs + LEASE_MARGIN_MS;
  }

  /** A lease for one request of the delivery, or why there is none now (the caller defers the job). */
  async acquire(record: Pick<DispatchRecord, 'webhookId' | 'accountId' | 'url'>): Promise<GlobalLease | LeaseRefusal> {
    const keys: GlobalLease['keys'] = [`${this.prefix}:endpoint:${record.webhookId}`, `${this.prefix}:account:${record.accountId}:${destinationHost(record.url)}`];
    const lease = { id: randomUUID(), keys };
    let full: number;
    try {
      full = await withinRedisWait(this.redis, () =>
        this.redis.inboxAcquireLease(...keys, lease.id, this.lifetimeMs, this.config.endpointConcurrency, this.config.accountConcurrency),
      );
    } catch (error) {
      this.metrics.leases.inc({ outcome: 'unchecked' });
      this.unavailable.warn(`cross-replica concurrency limits unchecked (in-process limits only), Redis unavailable: ${error instanceof Error ? error.message : String(error)}`);
      // It may still have been taken after the wait: freed as usual (or by its expiry).
      return lease;
    }
    if (full === 0) return lease;
    const refusal: LeaseRefusal = full === 1 ? 'endpoint' : 'account_host';
    this.metrics.leases.inc({ outcome: refusal });
    return refusal;
  }

  /** Frees the lease; never throws (a lease Redis did not hear about frees itself when it expires). */
  async release(lease: GlobalLease): Promise<void> {
    try {
      await withinRedisWait(this.redis, () => this.redis.inboxReleaseLease(...lease.keys, lease.id));
    } catch {
      // Expires after the delivery timeout and margin.
    }
  }
}
