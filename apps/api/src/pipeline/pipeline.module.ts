import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { DELIVERY_QUEUE } from '@inbox/server';
import { EventPipeline } from './event-pipeline.js';

@Module({
  imports: [BullModule.registerQueue({ name: DELIVERY_QUEUE })],
  providers: [EventPipeline],
  exports: [EventPipeline],
})
export class PipelineModule {}
