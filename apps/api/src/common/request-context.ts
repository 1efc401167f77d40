import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AccountId, ApiKeyId } from '@inbox/db';

/** A customer calling `/v1` with one of its account's API keys. */
export interface CustomerCaller {
  kind: 'customer';
  accountId: AccountId;
  keyId: ApiKeyId;
}

/** An internal service calling `/internal/v1` with the service token. */
export interface InternalCaller {
  kind: 'internal';
}

/** Who is calling, set by the auth guards. */
export type Caller = CustomerCaller | InternalCaller;

export type ApiRequest = FastifyRequest & { caller?: Caller; rawBody?: Buffer };

/** The authenticated customer's account id (routes behind ApiKeyGuard only). */
export const CallerAccount = createParamDecorator((_: unknown, ctx: ExecutionContext): AccountId => {
  const caller = ctx.switchToHttp().getRequest<ApiRequest>().caller;
  if (caller?.kind !== 'customer') throw new Error('CallerAccount used on a route without ApiKeyGuard');
  return caller.accountId;
});
