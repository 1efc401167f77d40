import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AccountId, WebhookId } from '@inbox/db';
import { CustomerAuth } from '../auth/auth.decorators.js';
import { ApiErrorResponse } from '../common/api-error-response.decorator.js';
import { IdParam } from '../common/id-param.js';
import { CallerAccount } from '../common/request-context.js';
import { statsQuerySchema, webhookStatsSchema, type StatsQuery } from './stats.dto.js';
import { StatsService } from './stats.service.js';

@ApiTags('logs')
@CustomerAuth()
@Controller('v1/webhooks')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Get(':id/stats')
  @ApiOperation({
    operationId: 'getWebhookStats',
    summary: "A webhook's delivery attempts by the hour: how many, how many succeeded, how long they took",
    description: 'The last `hours` hours (default 24), the current one included, oldest first. Attempts that sent nothing (`internal_error`, `webhook_disabled`) are not counted.',
  })
  @ApiOkResponse({ standardSchema: webhookStatsSchema })
  @ApiErrorResponse(404, 'No such webhook')
  webhookStats(@CallerAccount() accountId: AccountId, @IdParam('id', 'webhook', 'Webhook') id: WebhookId, @Query({ schema: statsQuerySchema }) query: StatsQuery) {
    return this.stats.webhookStats(accountId, id, query.hours ?? 24);
  }
}
