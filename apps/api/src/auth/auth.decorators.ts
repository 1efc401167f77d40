import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { InternalTokenGuard } from './internal-token.guard.js';
import { ApiKeyGuard } from './api-key.guard.js';
import { RateLimitGuard } from './rate-limit.guard.js';

/** A `/v1` controller: customer API key, then the per-key rate limit. */
export function CustomerAuth(): ClassDecorator & MethodDecorator {
  return applyDecorators(
    UseGuards(ApiKeyGuard, RateLimitGuard),
    ApiBearerAuth('api_key'),
    ApiUnauthorizedResponse({ description: 'Missing, malformed, unknown or revoked API key' }),
    ApiTooManyRequestsResponse({ description: 'Rate limit reached; see Retry-After' }),
  );
}

/** An `/internal/v1` controller: the service token. */
export function InternalAuth(): ClassDecorator & MethodDecorator {
  return applyDecorators(
    UseGuards(InternalTokenGuard),
    ApiBearerAuth('internal_token'),
    ApiUnauthorizedResponse({ description: 'Missing or wrong service token' }),
  );
}
