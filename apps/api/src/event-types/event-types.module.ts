import { Module } from '@nestjs/common';
import { EventTypesController } from './event-types.controller.js';

/** The event catalog (`GET /v1/event-types`), from @inbox/events. */
@Module({ controllers: [EventTypesController] })
export class EventTypesModule {}
