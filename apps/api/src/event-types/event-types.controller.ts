import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CustomerAuth } from '../auth/auth.decorators.js';
import { EVENT_TYPE_LIST, eventTypeListSchema, type EventTypeList } from './event-types.dto.js';

@ApiTags('event-types')
@CustomerAuth()
@Controller('v1/event-types')
export class EventTypesController {
  @Get()
  @ApiOperation({
    operationId: 'listEventTypes',
    summary: 'List the event types a webhook may subscribe to',
    description:
      "Each with a description, the JSON Schema of its events and an example: the four message events of the docs, and `webhook.disabled` (sent to your other webhooks when Inbox disables one). " +
      'Not paginated: the whole catalog in one answer.',
  })
  @ApiOkResponse({ standardSchema: eventTypeListSchema })
  list(): EventTypeList {
    return EVENT_TYPE_LIST;
  }
}
