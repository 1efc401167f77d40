import { Module, type DynamicModule } from '@nestjs/common';
import { DatabaseModule } from '@inbox/db';
import { ConfigModule, HealthModule, MetricsModule, REDIS, RedisModule, loggerModule, type DispatcherConfig } from '@inbox/server';
import { DeliveryModule } from './delivery/delivery.module.js';
import { ReconcileModule } from './reconcile/reconcile.module.js';

/** The dispatcher: delivery workers and the reconciler; /health and /metrics only, no customer routes. */
@Module({})
export class DispatcherModule {
  static forRoot(config: DispatcherConfig): DynamicModule {
    return {
      module: DispatcherModule,
      imports: [
        ConfigModule.forDispatcher(config),
        loggerModule(config, 'inbox-dispatcher'),
        DatabaseModule.forRoot({ url: config.databaseUrl, poolSize: config.databasePoolSize }),
        RedisModule.forRoot(config),
        HealthModule.forRoot(REDIS),
        MetricsModule,
        DeliveryModule,
        ReconcileModule,
      ],
    };
  }
}
