import { Module } from '@nestjs/common';
import { PipelineModule } from '../pipeline/pipeline.module.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { ResendController } from './resend.controller.js';
import { ResendService } from './resend.service.js';

@Module({ imports: [WebhooksModule, PipelineModule], controllers: [ResendController], providers: [ResendService] })
export class ResendModule {}
