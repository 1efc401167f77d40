import { Inject, Injectable, Logger } from '@nestjs/common';
import type { DispatchRecord } from '@inbox/db';
import { DISPATCHER_CONFIG, queuePrefix, REDIS, ThrottledWarning, withinRedisWait, type DispatcherConfig, type RedisClient } from '@inbox/server';
import { DispatcherMetrics } from '../metrics/dispatcher-metrics.js';

/** A slot due within this is waited for in this process; one due later sends the job back to Redis until then. */
export const THROTTLE_HOLD_MS = 250;
/**
 * A job sent back to Redis returns this much before its slot and waits out the rest here, so the
 * time it takes to come back (promotion, loading) does not make it late. Below THROTTLE_HOLD_MS.
 */
export const THROTTLE_EARLY_WAKE_MS = 100;
/** A booked slot whose job has not come back this long after it is given up (its job books again). */
const BOOKING_LIFETIME_MS = 60_000;

/**
 * One webhook's sends, at most one per 1000/rate ms on Redis's clock (one clock for every replica):
 * a GCRA with no burst, so no second holds more than `rate`. KEYS[1], a hash: `next` (the next
 * slot free to book), `last` (when the latest send was let go) and `rate` (the limit these were
 * kept for). KEYS[2], a sorted set: slots booked ahead, delivery id → slot. ARGV: rate, delivery
 * id, hold ms, booking lifetime ms.
 *
 * A delivery takes its booked slot, or books the next free one, and goes no sooner than one
 * interval after the latest send (so a job that came back late moves the ones after it on rather
 * than crowding them). Due within the hold, it is let go now (the caller waits out the rest);
 * later, it stays booked for the job to find when it comes back, so a backlog is spread one job
 * per slot instead of waking together. Answers ms until the delivery may be sent.
 */
const TAKE_SLOT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local rate = ARGV[1]
local interval = 1000 / tonumber(rate)
local hold = tonumber(ARGV[3])
local lifetime = tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 'next', 'last', 'rate')
local nextFree = tonumber(state[1]) or now
local last = tonumber(state[2]) or (now - interval)
if state[3] ~= rate then
  -- A new limit applies at once: slots booked at the old pace are void (their jobs book again).
  redis.call('DEL', KEYS[2])
  nextFree = now
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - lifetime)
local slot = tonumber(redis.call('ZSCORE', KEYS[2], ARGV[2]))
if not slot then
  slot = math.max(nextFree, now)
  nextFree = slot + interval
end
local at = math.max(slot, last + interval, now)
local wait = at - now
if wait > hold then
  redis.call('ZADD', KEYS[2], at, ARGV[2])
else
  redis.call('ZREM', KEYS[2], ARGV[2])
  last = at
end
nextFree = math.max(nextFree, last + interval)
redis.call('HSET', KEYS[1], 'next', string.format('%.3f', nextFree), 'last', string.format('%.3f', last), 'rate', rate)
local ttl = math.ceil(nextFree - now + lifetime)
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
return math.ceil(wait)
`;

interface ThrottleCommands {
  inboxTakeSlot(stateKey: string, bookedKey: string, rate: number, deliveryId: string, holdMs: number, lifetimeMs: number): Promise<number>;
}

/** Send now, or come back in `retryInMs`, a little before the slot (the job waits in Redis, spending no attempt). */
export type ThrottleTurn = { send: true } | { send: false; retryInMs: number };

/**
 * A webhook's `rate_limit` (deliveries per second), for every dispatcher replica together: the slots
 * live in Redis under the queue prefix's hash tag, so both keys of a webhook share one Cluster slot.
 *
 * Fails open: while Redis is unavailable or slower than `REDIS_WAIT_MS` a delivery goes without a
 * slot (counted, and logged at most every 10 s). The queue lives in the same Redis, so a worker
 * then takes no new jobs anyway: only those already in hand can pass unthrottled.
 */
@Injectable()
export class WebhookThrottle {
  private readonly log = new Logger('WebhookThrottle');
  private readonly unavailable = new ThrottledWarning((m) => this.log.warn(m));
  private readonly redis: RedisClient & ThrottleCommands;
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) redis: RedisClient,
    @Inject(DISPATCHER_CONFIG) config: DispatcherConfig,
    private readonly metrics: DispatcherMetrics,
  ) {
    redis.defineCommand('inboxTakeSlot', { numberOfKeys: 2, lua: TAKE_SLOT });
    this.redis = redis as RedisClient & ThrottleCommands;
    this.prefix = `${queuePrefix(config)}:throttle`;
  }

  /** The delivery's turn under its webhook's limit: at once, after a short wait here, or later. */
  async turn(record: Pick<DispatchRecord, 'webhookId' | 'deliveryId' | 'rateLimit'>): Promise<ThrottleTurn> {
    if (record.rateLimit === null) return { send: true };
    let waitMs: number;
    try {
      waitMs = await this.takeSlot(record.webhookId, record.deliveryId, record.rateLimit);
    } catch (error) {
      this.metrics.throttled.inc({ outcome: 'unchecked' });
      this.unavailable.warn(`webhook rate limits unchecked, Redis unavailable: ${error instanceof Error ? error.message : String(error)}`);
      return { send: true };
    }
    if (waitMs > THROTTLE_HOLD_MS) {
      this.metrics.throttled.inc({ outcome: 'deferred' });
      return { send: false, retryInMs: waitMs - THROTTLE_EARLY_WAKE_MS };
    }
    if (waitMs > 0) {
      this.metrics.throttled.inc({ outcome: 'waited' });
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
    return { send: true };
  }

  private takeSlot(webhookId: string, deliveryId: string, rate: number): Promise<number> {
    const key = `${this.prefix}:${webhookId}`;
    return withinRedisWait(this.redis, () => this.redis.inboxTakeSlot(key, `${key}:booked`, rate, deliveryId, THROTTLE_HOLD_MS, BOOKING_LIFETIME_MS));
  }
}
