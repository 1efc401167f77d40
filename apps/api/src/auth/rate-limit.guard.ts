import { Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ThrottledWarning } from '@inbox/server';
import { RateLimitedError } from '../common/api-error.js';
import type { ApiRequest } from '../common/request-context.js';
import { RateLimiter } from './rate-limiter.js';

/** Per-API-key limit (after ApiKeyGuard): 429 with Retry-After once the minute's budget is spent. */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly logger = new Logger('RateLimitGuard');
  private readonly unlimited = new ThrottledWarning((m) => this.logger.warn(m));

  constructor(private readonly limiter: RateLimiter) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const caller = http.getRequest<ApiRequest>().caller;
    if (caller?.kind !== 'customer') return true;
    const keyId = caller.keyId;
    let decision;
    try {
      decision = await this.limiter.hit(keyId);
    } catch (error) {
      // Redis trouble must not take the API down with it: serve unlimited and say so in the log
      // (sparingly: this happens on every request while Redis is away).
      this.unlimited.warn(`rate limiter unavailable, requests let through: ${(error as Error).message}`);
      return true;
    }
    http.getResponse<FastifyReply>().headers({
      'X-RateLimit-Limit': String(decision.limit),
      'X-RateLimit-Remaining': String(decision.remaining),
      'X-RateLimit-Reset': String(decision.resetSeconds),
    });
    if (!decision.allowed) throw new RateLimitedError(decision.resetSeconds);
    return true;
  }
}
