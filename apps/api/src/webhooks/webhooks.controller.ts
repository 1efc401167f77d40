import { Body, Controller, Delete, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponse } from '../common/api-error-response.decorator.js';
import { z } from 'zod';
import { CustomerAuth } from '../auth/auth.decorators.js';
import { pageQuerySchema } from '../common/pagination.js';
import type { AccountId, WebhookId } from '@inbox/db';
import { IdParam } from '../common/id-param.js';
import { CallerAccount } from '../common/request-context.js';
import { WebhookTestService } from './webhook-test.service.js';
import {
  createWebhookSchema,
  testAcceptedSchema,
  testWebhookSchema,
  updateWebhookSchema,
  webhookPageSchema,
  webhookSchema,
  webhookSecretSchema,
  webhookWithSecretSchema,
  type CreateWebhookBody,
  type TestWebhookBody,
  type UpdateWebhookBody,
} from './webhooks.dto.js';
import { WebhooksService } from './webhooks.service.js';

@ApiTags('webhooks')
@CustomerAuth()
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(
    private readonly webhooks: WebhooksService,
    private readonly tests: WebhookTestService,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Register a webhook endpoint', description: 'The answer holds the signing `secret`, which list and get never show.' })
  @ApiCreatedResponse({ standardSchema: webhookWithSecretSchema })
  @ApiErrorResponse(422, 'Invalid url (not https, credentials, private or unresolvable host), events or description')
  @ApiErrorResponse(409, 'The account has reached its webhook limit')
  create(@CallerAccount() accountId: AccountId, @Body({ schema: createWebhookSchema }) body: CreateWebhookBody) {
    return this.webhooks.create(accountId, body);
  }

  @Get()
  @ApiOperation({ summary: 'List webhooks, newest first' })
  @ApiOkResponse({ standardSchema: webhookPageSchema })
  list(@CallerAccount() accountId: AccountId, @Query({ schema: pageQuerySchema }) query: z.infer<typeof pageQuerySchema>) {
    return this.webhooks.list(accountId, query);
  }

  @Post('test')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a test event to a webhook',
    description: "The docs' example event of that type, with a fresh id, goes to that one webhook through the normal pipeline (signed, retried, logged).",
  })
  @ApiAcceptedResponse({ standardSchema: testAcceptedSchema })
  @ApiErrorResponse(404, 'No such webhook')
  @ApiErrorResponse(409, 'The webhook is disabled (`webhook_disabled`)')
  test(@CallerAccount() accountId: AccountId, @Body({ schema: testWebhookSchema }) body: TestWebhookBody) {
    return this.tests.send(accountId, body.webhook_id, body.event_type);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a webhook' })
  @ApiOkResponse({ standardSchema: webhookSchema })
  @ApiErrorResponse(404, 'No such webhook')
  get(@CallerAccount() accountId: AccountId, @IdParam('id', 'webhook', 'Webhook') id: WebhookId) {
    return this.webhooks.get(accountId, id);
  }

  @Put(':id')
  @ApiOperation({ summary: 'Replace a webhook (url, events, description; optionally status)' })
  @ApiOkResponse({ standardSchema: webhookSchema })
  @ApiErrorResponse(404, 'No such webhook')
  update(@CallerAccount() accountId: AccountId, @IdParam('id', 'webhook', 'Webhook') id: WebhookId, @Body({ schema: updateWebhookSchema }) body: UpdateWebhookBody) {
    return this.webhooks.update(accountId, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a webhook', description: 'Pending deliveries to it stop. Its logs stay readable.' })
  @ApiNoContentResponse()
  @ApiErrorResponse(404, 'No such webhook')
  async remove(@CallerAccount() accountId: AccountId, @IdParam('id', 'webhook', 'Webhook') id: WebhookId): Promise<void> {
    await this.webhooks.remove(accountId, id);
  }

  @Get(':id/secret')
  @ApiOperation({ summary: "Get a webhook's signing secret" })
  @ApiOkResponse({ standardSchema: webhookSecretSchema })
  @ApiErrorResponse(404, 'No such webhook')
  secret(@CallerAccount() accountId: AccountId, @IdParam('id', 'webhook', 'Webhook') id: WebhookId) {
    return this.webhooks.secret(accountId, id);
  }
}
