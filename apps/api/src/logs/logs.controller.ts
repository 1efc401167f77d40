import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponse } from '../common/api-error-response.decorator.js';
import { CustomerAuth } from '../auth/auth.decorators.js';
import type { AccountId, EventId, WebhookId } from '@inbox/db';
import { IdParam } from '../common/id-param.js';
import { CallerAccount } from '../common/request-context.js';
import { attemptLogPageSchema, eventDetailSchema, logsQuerySchema, type LogsQuery } from './logs.dto.js';
import { LogsService } from './logs.service.js';

@ApiTags('logs')
@CustomerAuth()
@Controller('v1')
export class LogsController {
  constructor(private readonly logs: LogsService) {}

  @Get('webhooks/:id/logs')
  @ApiOperation({
    operationId: 'listWebhookLogs',
    summary: "A webhook's delivery attempts, newest first",
    description: 'Filter by `status` (the delivery status: pending, succeeded, failed), `event_type`, and `since`/`until` (attempt time).',
  })
  @ApiOkResponse({ standardSchema: attemptLogPageSchema })
  @ApiErrorResponse(404, 'No such webhook')
  webhookLogs(@CallerAccount() accountId: AccountId, @IdParam('id', 'webhook', 'Webhook') id: WebhookId, @Query({ schema: logsQuerySchema }) query: LogsQuery) {
    return this.logs.webhookLogs(accountId, id, query);
  }

  @Get('events/:id')
  @ApiOperation({ operationId: 'getEvent', summary: 'An event with its deliveries and their attempts' })
  @ApiOkResponse({ standardSchema: eventDetailSchema })
  @ApiErrorResponse(404, 'No such event')
  event(@CallerAccount() accountId: AccountId, @IdParam('id', 'event', 'Event') id: EventId) {
    return this.logs.event(accountId, id);
  }
}
