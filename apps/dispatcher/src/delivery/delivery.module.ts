import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { DELIVERY_QUEUE, DISPATCHER_CONFIG, HostResolver, type DispatcherConfig } from '@inbox/server';
import { dnsDeadlineMs } from '../http/address-guard.js';
import { WebhookClient } from '../http/webhook-client.js';
import { ListenRelay } from '../listen/listen-relay.js';
import { DispatcherMetrics } from '../metrics/dispatcher-metrics.js';
import { AttemptRecorder } from './attempt-recorder.js';
import { ConcurrencyLeases } from './concurrency-leases.js';
import { DeliveryLoader } from './delivery-loader.js';
import { DeliveryProcessor } from './delivery.processor.js';
import { DisableAnnouncer } from './disable-announcer.js';
import { InternalErrors } from './internal-errors.js';
import { SecretCache } from './secret-cache.js';
import { WebhookThrottle } from './webhook-throttle.js';

/** The delivery worker and what it needs: batched loads and writes, secrets, webhook rate limits, cross-replica concurrency leases, the HTTP client, metrics. */
@Module({
  imports: [BullModule.registerQueue({ name: DELIVERY_QUEUE })],
  providers: [
    DeliveryProcessor,
    DeliveryLoader,
    AttemptRecorder,
    DisableAnnouncer,
    SecretCache,
    InternalErrors,
    WebhookThrottle,
    ConcurrencyLeases,
    WebhookClient,
    ListenRelay,
    DispatcherMetrics,
    { provide: HostResolver, inject: [DISPATCHER_CONFIG], useFactory: (config: DispatcherConfig) => new HostResolver({ timeoutMs: dnsDeadlineMs(config) }) },
  ],
  exports: [BullModule, DispatcherMetrics, DeliveryProcessor, DisableAnnouncer],
})
export class DeliveryModule {}
