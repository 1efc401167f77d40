import { Module } from '@nestjs/common';
import { PipelineModule } from '../pipeline/pipeline.module.js';
import { IngestController } from './ingest.controller.js';
import { IngestService } from './ingest.service.js';

@Module({ imports: [PipelineModule], controllers: [IngestController], providers: [IngestService] })
export class IngestModule {}
