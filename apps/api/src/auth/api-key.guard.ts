import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ApiKeysRepository } from '@inbox/db';
import { UnauthorizedError } from '../common/api-error.js';
import type { ApiRequest } from '../common/request-context.js';
import { hashApiKey, isWellFormedApiKey } from './api-keys.js';
import { bearerToken } from './bearer.js';

/** `/v1`: `Authorization: Bearer inbox_sk_…` of a live key; sets the caller's account. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly apiKeys: ApiKeysRepository) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<ApiRequest>();
    const token = bearerToken(req);
    if (!token) throw new UnauthorizedError('Send your API key as "Authorization: Bearer inbox_sk_…"');
    // A malformed token (the internal service token included) never reaches the database.
    if (!isWellFormedApiKey(token)) throw new UnauthorizedError('The API key is not valid');
    const owner = await this.apiKeys.findActiveByHash(hashApiKey(token));
    if (!owner) throw new UnauthorizedError('The API key is not valid');
    req.caller = { kind: 'customer', accountId: owner.accountId, keyId: owner.keyId };
    return true;
  }
}
