import { createHash } from 'node:crypto';
import { HttpStatus, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { from, mergeMap, catchError, type Observable } from 'rxjs';
import { IdempotencyRepository, isDatabaseUnavailable, type IdempotencyScope } from '@inbox/db';
import { ApiError, ConflictError } from '../common/api-error.js';
import { toErrorResponse } from '../common/error-response.js';
import type { ApiRequest } from '../common/request-context.js';
import { StoredResponse } from '../common/stored-response.js';

const HEADER = 'idempotency-key';
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const HTTP_CODE_METADATA = '__httpCode__';

/** Answers worth replaying: successes and client errors, except those a retry may cure. */
function isReplayable(status: number): boolean {
  return status < 500 && status !== HttpStatus.TOO_MANY_REQUESTS && status !== HttpStatus.CONFLICT;
}

/**
 * `Idempotency-Key` on POSTs: the first request with a key runs and its answer (status + body) is
 * stored for 24 h; a repeat with the same key and the same request gets that answer and changes
 * nothing; the same key with another request is a 422 `idempotency_key_reused`. Keys are scoped to
 * the caller's account (internal services share one scope).
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly store: IdempotencyRepository,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<ApiRequest>();
    const header = req.headers[HEADER];
    if (req.method !== 'POST' || header === undefined) return next.handle();
    const key = Array.isArray(header) ? header.join(',') : header;
    if (!KEY_PATTERN.test(key)) {
      const message = 'Idempotency-Key must be 1 to 255 visible ASCII characters';
      throw new ApiError(400, 'invalid_idempotency_key', message, [{ path: 'Idempotency-Key', message }]);
    }
    const scope: IdempotencyScope = req.caller?.kind === 'customer' ? req.caller.accountId : 'internal';
    const requestHash = createHash('sha256')
      .update(`${req.method} ${req.originalUrl}\n`)
      .update(req.rawBody ?? Buffer.alloc(0))
      .digest('hex');
    const successStatus = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? HttpStatus.CREATED;

    return from(this.store.claim(scope, key, requestHash)).pipe(
      mergeMap((claim) => {
        switch (claim.state) {
          case 'replay':
            throw new StoredResponse(claim.statusCode, claim.body);
          case 'mismatch':
            throw new ApiError(422, 'idempotency_key_reused', 'This Idempotency-Key was used with a different request');
          case 'in_progress':
            throw new ConflictError('idempotency_request_in_progress', 'A request with this Idempotency-Key is still being processed');
          case 'claimed':
            // A claim (in Postgres) failing throws before this: then there is nothing to release.
            return next.handle().pipe(
              catchError((error: unknown) => from(this.recordFailure(scope, key, error))),
              // The request did its work: if its answer cannot be stored, the key is kept, not
              // released, so a retry cannot do the work twice (it is taken over after a minute).
              mergeMap(async (body: unknown) => {
                await this.store.complete(scope, key, successStatus, body ?? null);
                return body;
              }),
            );
        }
      }),
    );
  }

  /**
   * Stores a failed request's answer to replay, or gives its key back when a retry may succeed (a
   * 503 while Postgres is away among them). With Postgres still away that write fails too: the
   * claim then lapses by itself, and the client gets the request's own error, not this one's.
   */
  private async recordFailure(scope: IdempotencyScope, key: string, error: unknown): Promise<never> {
    const answer = toErrorResponse(error);
    try {
      if (isReplayable(answer.status)) await this.store.complete(scope, key, answer.status, answer.body);
      else await this.store.release(scope, key);
    } catch (recordError) {
      if (!isDatabaseUnavailable(recordError)) throw recordError;
    }
    throw error;
  }
}
