import { Module, type DynamicModule } from '@nestjs/common';
import { DatabaseModule } from '@inbox/db';
import { ConfigModule, HealthModule, MetricsModule, REDIS, RedisModule, loggerModule, type AppConfig } from '@inbox/server';

/** The HTTP API: /v1 for customers, /internal/v1 for team services, /health, /metrics, /docs. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        loggerModule(config, 'inbox-api'),
        DatabaseModule.forRoot({ url: config.databaseUrl, poolSize: config.databasePoolSize }),
        RedisModule.forRoot(config),
        HealthModule.forRoot(REDIS),
        MetricsModule,
      ],
    };
  }
}
