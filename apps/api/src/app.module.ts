import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { DatabaseModule } from '@inbox/db';
import { ConfigModule, HealthModule, MetricsModule, REDIS, RedisModule, loggerModule, type ApiConfig } from '@inbox/server';
import { AccountsModule } from './accounts/accounts.module.js';
import { AuthModule } from './auth/auth.module.js';
import { ApiExceptionFilter } from './common/api-exception.filter.js';
import { ApiValidationPipe } from './common/validation.pipe.js';
import { DashboardModule } from './dashboard/dashboard.module.js';
import { EventTypesModule } from './event-types/event-types.module.js';
import { IdempotencyJanitor } from './idempotency/idempotency-janitor.js';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor.js';
import { IngestModule } from './ingest/ingest.module.js';
import { ListenModule } from './listen/listen.module.js';
import { LogsModule } from './logs/logs.module.js';
import { ResendModule } from './resend/resend.module.js';
import { StatsModule } from './stats/stats.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';

/** The HTTP API: /v1 for customers, /internal/v1 for team services, /health, /docs, /dashboard (metrics: their own port). */
@Module({})
export class AppModule {
  static forRoot(config: ApiConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forApi(config),
        loggerModule(config, 'inbox-api'),
        DatabaseModule.forConfig(config),
        // Requests never wait on Redis: its connections fail fast, and readiness needs only Postgres.
        RedisModule.forRoot(config, 'producer'),
        HealthModule.forRoot({ redis: REDIS, redisRequired: false }),
        MetricsModule.forRoot(config.metricsPort),
        AuthModule,
        AccountsModule,
        WebhooksModule,
        ResendModule,
        LogsModule,
        StatsModule,
        EventTypesModule,
        IngestModule,
        ListenModule,
        DashboardModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        { provide: APP_PIPE, useClass: ApiValidationPipe },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        IdempotencyJanitor,
      ],
    };
  }
}
