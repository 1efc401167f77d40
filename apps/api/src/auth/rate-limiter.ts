import { Inject, Injectable } from '@nestjs/common';
import { API_CONFIG, queuePrefix, REDIS, withinRedisWait, type ApiConfig, type RedisClient } from '@inbox/server';

const WINDOW_MS = 60_000;

/** INCR the window's counter, set its expiry on first use; returns [count, ms left in the window]. */
const FIXED_WINDOW = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('PTTL', KEYS[1])}
`;

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

/**
 * Fixed one-minute windows counted in Redis (under the queue prefix, so it is shared by every API
 * replica and stays in one cluster slot): at most `rateLimitPerMinute` requests per key per window.
 * `hit` rejects at once while Redis is away, and after `REDIS_WAIT_MS` while it is slow.
 */
@Injectable()
export class RateLimiter {
  private readonly prefix: string;
  private readonly limit: number;

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(API_CONFIG) config: ApiConfig,
  ) {
    this.prefix = `${queuePrefix(config)}:ratelimit`;
    this.limit = config.rateLimitPerMinute;
  }

  /** One request of `subject` counted against `limit` (`INBOX_RATE_LIMIT_PER_MINUTE` unless given) in this minute. */
  async hit(subject: string, now = Date.now(), limit = this.limit): Promise<RateDecision> {
    const window = Math.floor(now / WINDOW_MS);
    const key = `${this.prefix}:${subject}:${window}`;
    const [count, ttl] = (await withinRedisWait(this.redis, () => this.redis.eval(FIXED_WINDOW, 1, key, String(WINDOW_MS)))) as [number, number];
    const msLeft = ttl > 0 ? ttl : WINDOW_MS - (now % WINDOW_MS);
    return {
      allowed: count <= limit,
      limit,
      remaining: Math.max(0, limit - count),
      resetSeconds: Math.max(1, Math.ceil(msLeft / 1000)),
    };
  }
}
