import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { API_CONFIG, type ApiConfig } from '@inbox/server';
import { UnauthorizedError } from '../common/api-error.js';
import type { ApiRequest } from '../common/request-context.js';
import { bearerToken } from './bearer.js';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** What `carriesInternalToken` compares against: a digest of the configured service token. */
export const internalTokenDigest = (token: string): Buffer => digest(token);

/** True when `token` is the service token (`expected` from `internalTokenDigest`). */
function isInternalToken(token: string, expected: Buffer): boolean {
  // Comparing fixed-length digests keeps the time independent of where (and whether) they differ.
  return timingSafeEqual(digest(token), expected);
}

/** True when the request carries the service token (`expected` from `internalTokenDigest`). */
export function carriesInternalToken(req: Pick<ApiRequest, 'headers'>, expected: Buffer): boolean {
  const token = bearerToken(req);
  return token !== undefined && isInternalToken(token, expected);
}

/** `/internal/v1`: `Authorization: Bearer <INBOX_INTERNAL_TOKEN>`, compared in constant time. */
@Injectable()
export class InternalTokenGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(@Inject(API_CONFIG) config: ApiConfig) {
    this.expected = internalTokenDigest(config.internalToken);
  }

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<ApiRequest>();
    const token = bearerToken(req);
    if (!token) throw new UnauthorizedError('Send the service token as "Authorization: Bearer <token>"');
    if (!isInternalToken(token, this.expected)) throw new UnauthorizedError('The service token is not valid');
    req.caller = { kind: 'internal' };
    return true;
  }
}
