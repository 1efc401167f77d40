import { Module, type DynamicModule } from '@nestjs/common';
import { DatabaseModule } from '@inbox/db';
import { ConfigModule, HealthModule, MetricsModule, REDIS, RedisModule, loggerModule, type DispatcherConfig } from '@inbox/server';
import { DeliveryModule } from './delivery/delivery.module.js';
import { DeliveryProcessor } from './delivery/delivery.processor.js';
import { ReconcileModule } from './reconcile/reconcile.module.js';
import { RetentionModule } from './retention/retention.module.js';

/** The dispatcher: delivery workers, the reconciler and the retention cleanup; /health only, no customer routes; /metrics on METRICS_PORT. */
@Module({})
export class DispatcherModule {
  static forRoot(config: DispatcherConfig): DynamicModule {
    return {
      module: DispatcherModule,
      imports: [
        ConfigModule.forDispatcher(config),
        loggerModule(config, 'inbox-dispatcher'),
        DatabaseModule.forConfig(config),
        RedisModule.forRoot(config, 'worker'),
        // Live while the delivery worker runs (it rides out Redis outages); ready with Postgres and Redis too.
        HealthModule.forRoot({ redis: REDIS, redisRequired: true, worker: { imports: [DeliveryModule], token: DeliveryProcessor } }),
        MetricsModule.forRoot(config.metricsPort),
        DeliveryModule,
        ReconcileModule,
        RetentionModule,
      ],
    };
  }
}
