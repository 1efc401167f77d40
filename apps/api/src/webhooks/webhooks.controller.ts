import { Body, Controller, Delete, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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
  DEFAULT_SECRET_OVERLAP_SECONDS,
  rotatedSecretSchema,
  rotateSecretSchema,
  testAcceptedSchema,
  testWebhookSchema,
  updateWebhookSchema,
  webhookPageSchema,
  webhookSchema,
  webhookSecretSchema,
  webhookWithSecretSchema,
  type CreateWebhookBody,
  type RotateSecretBody,
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
  @ApiOperation({ operationId: 'createWebhook', summary: 'Register a webhook endpoint', description: 'The answer holds the signing `secret`, which list and get never show.' })
  @ApiCreatedResponse({ standardSchema: webhookWithSecretSchema })
  @ApiErrorResponse(422, 'Invalid url (not https, credentials, private or unresolvable host), events or description')
  @ApiErrorResponse(409, 'The account has reached its webhook limit')
  create(@CallerAccount() accountId: AccountId, @Body({ schema: createWebhookSchema }) body: CreateWebhookBody) {
    return this.webhooks.create(accountId, body);
  }

  @Get()
  @ApiOperation({ operationId: 'listWebhooks', summary: 'List webhooks, newest first' })
  @ApiOkResponse({ standardSchema: webhookPageSchema })
  list(@CallerAccount() accountId: AccountId, @Query({ schema: pageQuerySchema }) query: z.infer<typeof pageQuerySchema>) {
    return this.webhooks.list(accountId, query);
  }

  @Post('test')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'sendTestEvent',
    summary: 'Send a test event to a webhook (or to every subscriber)',
    description:
      "The docs' example event of that type, with a fresh id, goes to that one webhook through the normal pipeline (signed, retried, logged). " +
      'Without `webhook_id` it goes to every enabled webhook and `inbox listen` session of the account that subscribes to the type.',
  })
  @ApiAcceptedResponse({ standardSchema: testAcceptedSchema })
  @ApiErrorResponse(404, 'No such webhook')
  @ApiErrorResponse(409, 'The webhook is disabled (`webhook_disabled`), or, without webhook_id, nothing subscribes to the type (`no_subscribers`)')
  test(@CallerAccount() accountId: AccountId, @Body({ schema: testWebhookSchema }) body: TestWebhookBody) {
    return this.tests.send(accountId, body.webhook_id, body.event_type);
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getWebhook', summary: 'Get a webhook' })
  @ApiOkResponse({ standardSchema: webhookSchema })
  @ApiErrorResponse(404, 'No such webhook')
  get(@CallerAccount() accountId: AccountId, @IdParam('id', 'webhook', 'Webhook') id: WebhookId) {
    return this.webhooks.get(accountId, id);
  }

  @Put(':id')
  @ApiOperation({ operationId: 'updateWebhook', summary: 'Replace a webhook (url, events, description; optionally status)' })
  @ApiOkResponse({ standardSchema: webhookSchema })
  @ApiErrorResponse(404, 'No such webhook')
  update(@CallerAccount() accountId: AccountId, @IdParam('id', 'webhook', 'Webhook') id: WebhookId, @Body({ schema: updateWebhookSchema }) body: UpdateWebhookBody) {
    return this.webhooks.update(accountId, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteWebhook', summary: 'Delete a webhook', description: 'Pending deliveries to it stop. Its logs stay readable.' })
  @ApiNoContentResponse()
  @ApiErrorResponse(404, 'No such webhook')
  async remove(@CallerAccount() accountId: AccountId, @IdParam('id', 'webhook', 'Webhook') id: WebhookId): Promise<void> {
    await this.webhooks.remove(accountId, id);
  }

  @Get(':id/secret')
  @ApiOperation({ operationId: 'getWebhookSecret', summary: "Get a webhook's signing secret" })
  @ApiOkResponse({ standardSchema: webhookSecretSchema })
  @ApiErrorResponse(404, 'No such webhook')
  secret(@CallerAccount() accountId: AccountId, @IdParam('id', 'webhook', 'Webhook') id: WebhookId) {
    return this.webhooks.secret(accountId, id);
  }

  @Post(':id/secret/rotate')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'rotateWebhookSecret',
    summary: "Rotate a webhook's signing secret",
    description:
      'A new secret signs every delivery from now on. The replaced one keeps signing beside it until `previous_secret_expires_at` ' +
      "(`expire_in_seconds` from now, default one day): `X-Inbox-Signature` is the new secret's, `X-Inbox-Signature-Previous` the old one's, " +
      'and `webhook-signature` holds both (the new first). Rotating again meanwhile makes the current secret the previous one; ' +
      'the one before it stops at once. The body is optional. `GET /v1/webhooks/{id}/secret` shows the new secret.',
  })
  @ApiBody({ required: false })
  @ApiOkResponse({ standardSchema: rotatedSecretSchema })
  @ApiErrorResponse(404, 'No such webhook')
  @ApiErrorResponse(422, '`expire_in_seconds` is not a whole number from 0 to 604800')
  rotateSecret(
    @CallerAccount() accountId: AccountId,
    @IdParam('id', 'webhook', 'Webhook') id: WebhookId,
    @Body({ schema: rotateSecretSchema }) body: RotateSecretBody,
  ) {
    return this.webhooks.rotateSecret(accountId, id, body?.expire_in_seconds ?? DEFAULT_SECRET_OVERLAP_SECONDS);
  }
}
