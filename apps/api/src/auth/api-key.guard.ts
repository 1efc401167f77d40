import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ApiKeysRepository, DashboardSessionsRepository } from '@inbox/db';
import { UnauthorizedError } from '../common/api-error.js';
import type { ApiRequest } from '../common/request-context.js';
import { hashApiKey, isWellFormedApiKey } from './api-keys.js';
import { bearerToken } from './bearer.js';
import { assertSameSiteChange, hashSessionToken, sessionToken } from './dashboard-session.js';

/**
 * `/v1`: `Authorization: Bearer inbox_sk_…` of a live key; or, without that header, the dashboard's
 * session cookie (its changes CSRF-checked: dashboard-session.ts), which acts as the key it was
 * opened with. Sets the caller's account and key (the rate limit is per key either way).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly apiKeys: ApiKeysRepository,
    private readonly sessions: DashboardSessionsRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<ApiRequest>();
    const token = bearerToken(req);
    if (!token) {
      const session = sessionToken(req);
      if (session) return this.bySession(req, session);
      throw new UnauthorizedError('Send your API key as "Authorization: Bearer inbox_sk_…"');
    }
    // A malformed token (the internal service token included) never reaches the database.
    if (!isWellFormedApiKey(token)) throw new UnauthorizedError('The API key is not valid');
    const owner = await this.apiKeys.findActiveByHash(hashApiKey(token));
    if (!owner) throw new UnauthorizedError('The API key is not valid');
    req.caller = { kind: 'customer', accountId: owner.accountId, keyId: owner.keyId };
    return true;
  }

  private async bySession(req: ApiRequest, token: string): Promise<boolean> {
    assertSameSiteChange(req);
    const session = await this.sessions.findActive(hashSessionToken(token));
    if (!session) throw new UnauthorizedError('Your dashboard session has ended: sign in again');
    req.caller = { kind: 'customer', accountId: session.accountId, keyId: session.keyId };
    return true;
  }
}
