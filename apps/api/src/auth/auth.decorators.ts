import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ApiErrorResponse } from '../common/api-error-response.decorator.js';
import { InternalTokenGuard } from './internal-token.guard.js';
import { ApiKeyGuard } from './api-key.guard.js';
import { RateLimitGuard } from './rate-limit.guard.js';

/** Every route needs the database (a `/v1` request's API key is looked up there). */
const UNAVAILABLE = 'The database is briefly unavailable (`unavailable`); retry after Retry-After';

/** A `/v1` controller: customer API key, then the per-key rate limit. */
export function CustomerAuth(): ClassDecorator & MethodDecorator {
  return applyDecorators(
    UseGuards(ApiKeyGuard, RateLimitGuard),
    ApiBearerAuth('api_key'),
    ApiErrorResponse(401, 'Missing, malformed, unknown or revoked API key'),
    ApiErrorResponse(429, 'Rate limit reached; see Retry-After'),
    ApiErrorResponse(400, 'Malformed JSON, a bad query parameter (limit, cursor, filters) or a bad Idempotency-Key'),
    ApiErrorResponse(503, UNAVAILABLE),
  );
}

/** An `/internal/v1` controller: the service token. */
export function InternalAuth(): ClassDecorator & MethodDecorator {
  return applyDecorators(
    UseGuards(InternalTokenGuard),
    ApiBearerAuth('internal_token'),
    ApiErrorResponse(401, 'Missing or wrong service token'),
    ApiErrorResponse(400, 'Malformed JSON or a bad Idempotency-Key'),
    ApiErrorResponse(503, UNAVAILABLE),
  );
}
