import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** Who is calling, set by the auth guards. */
export interface Caller {
  /** A customer's account and the API key it used; undefined for internal services. */
  accountId?: string;
  keyId?: string;
  internal?: boolean;
}

export type ApiRequest = FastifyRequest & { caller?: Caller; rawBody?: Buffer };

/** The authenticated customer's account id (routes behind ApiKeyGuard only). */
export const AccountId = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const accountId = ctx.switchToHttp().getRequest<ApiRequest>().caller?.accountId;
  if (!accountId) throw new Error('AccountId used on a route without ApiKeyGuard');
  return accountId;
});
