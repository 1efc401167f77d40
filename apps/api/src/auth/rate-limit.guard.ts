import { Injectable, Logger, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { ThrottledWarning } from '@inbox/server';
import { RateLimitedError } from '../common/api-error.js';
import type { ApiRequest } from '../common/request-context.js';
import { RateLimiter } from './rate-limiter.js';

const NOT_RATE_LIMITED = 'inbox:not-rate-limited';

/**
 * Marks a route the per-key limit does not count: traffic the platform itself causes, such as the
 * CLI's reports of what its local server answered to each delivery (limiting them would turn a
 * customer's answers into timeouts and retries).
 */
export const NotRateLimited = () => SetMetadata(NOT_RATE_LIMITED, true);

/** Per-API-key limit (after ApiKeyGuard): 429 with Retry-After once the minute's budget is spent. */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly logger = new Logger('RateLimitGuard');
  private readonly unlimited = new ThrottledWarning((m) => this.logger.warn(m));

  constructor(
    private readonly limiter: RateLimiter,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.get<boolean>(NOT_RATE_LIMITED, context.getHandler())) return true;
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
