import { Module } from '@nestjs/common';
import { API_CONFIG, HostResolver, type ApiConfig } from '@inbox/server';
import { PipelineModule } from '../pipeline/pipeline.module.js';
import { WebhookTestService } from './webhook-test.service.js';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksService } from './webhooks.service.js';

@Module({
  imports: [PipelineModule],
  controllers: [WebhooksController],
  providers: [
    WebhooksService,
    WebhookTestService,
    // URL checks at registration: c-ares under INBOX_DNS_TIMEOUT, so a dead nameserver cannot hang a request.
    { provide: HostResolver, inject: [API_CONFIG], useFactory: (config: ApiConfig) => new HostResolver({ timeoutMs: config.dnsTimeoutMs }) },
  ],
  exports: [WebhooksService],
})
export class WebhooksModule {}
