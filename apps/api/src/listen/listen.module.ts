import { Module } from '@nestjs/common';
import { ListenController } from './listen.controller.js';
import { ListenService } from './listen.service.js';

/** `inbox listen`: sessions streamed to the CLI (GET /v1/listen) and the answers it reports. */
@Module({
  controllers: [ListenController],
  providers: [ListenService],
})
export class ListenModule {}
