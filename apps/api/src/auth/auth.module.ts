import { Global, Module } from '@nestjs/common';
import { ApiKeyGuard } from './api-key.guard.js';
import { InternalTokenGuard } from './internal-token.guard.js';
import { RateLimitGuard } from './rate-limit.guard.js';
import { RateLimiter } from './rate-limiter.js';

@Global()
@Module({
  providers: [ApiKeyGuard, InternalTokenGuard, RateLimitGuard, RateLimiter],
  exports: [ApiKeyGuard, InternalTokenGuard, RateLimitGuard, RateLimiter],
})
export class AuthModule {}
