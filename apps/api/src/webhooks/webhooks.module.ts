import { Module } from '@nestjs/common';
import { PipelineModule } from '../pipeline/pipeline.module.js';
import { WebhookTestService } from './webhook-test.service.js';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksService } from './webhooks.service.js';

@Module({
  imports: [PipelineModule],
  controllers: [WebhooksController],
  providers: [WebhooksService, WebhookTestService],
  exports: [WebhooksService],
})
export class WebhooksModule {}
