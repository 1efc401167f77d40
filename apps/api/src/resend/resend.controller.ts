import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AccountId, WebhookId } from '@inbox/db';
import { CustomerAuth } from '../auth/auth.decorators.js';
import { ApiErrorResponse } from '../common/api-error-response.decorator.js';
import { IdParam } from '../common/id-param.js';
import { CallerAccount } from '../common/request-context.js';
import {
  MAX_RECOVER_WINDOW_DAYS,
  recoverAcceptedSchema,
  recoverSchema,
  resendAcceptedSchema,
  resendEventSchema,
  type RecoverBody,
  type ResendEventBody,
} from './resend.dto.js';
import { ResendService } from './resend.service.js';

@ApiTags('webhooks')
@CustomerAuth()
@Controller('v1/webhooks')
export class ResendController {
  constructor(private readonly resends: ResendService) {}

  @Post(':id/resend')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'resendEvent',
    summary: 'Send an event to a webhook again',
    description:
      'The event goes to this webhook again through the normal pipeline: the same body bytes and event id, signed with the current secret, as a new delivery with a fresh retry schedule (attempts from 1) — whether it succeeded, failed or was never answered before. ' +
      "Its attempts appear in the webhook's logs and in `GET /v1/events/{id}` under the new `delivery_id`, whose `resend_of` names the delivery it repeats.",
  })
  @ApiAcceptedResponse({ standardSchema: resendAcceptedSchema })
  @ApiErrorResponse(404, 'No such webhook, or the event was never sent to it')
  @ApiErrorResponse(
    409,
    'The webhook is disabled (`webhook_disabled`), or the event still has a pending delivery to it (`delivery_pending`)',
  )
  @ApiErrorResponse(422, 'Invalid body')
  resend(
    @CallerAccount() accountId: AccountId,
    @IdParam('id', 'webhook', 'Webhook') id: WebhookId,
    @Body({ schema: resendEventSchema }) body: ResendEventBody,
  ) {
    return this.resends.resend(accountId, id, body.event_id);
  }

  @Post(':id/recover')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'recoverWebhook',
    summary: 'Send again every event whose delivery to a webhook failed in a time window',
    description:
      'Every event created in `[since, until)` whose delivery to this webhook ended `failed` (and was not delivered since) is sent again, once, as a new delivery with a fresh retry schedule; ' +
      `an event with a pending delivery to it is left alone. The window is at most ${MAX_RECOVER_WINDOW_DAYS} days and starts within the retention period (INBOX_RETENTION, 30 days by default): older events are not kept.`,
  })
  @ApiAcceptedResponse({ standardSchema: recoverAcceptedSchema })
  @ApiErrorResponse(404, 'No such webhook')
  @ApiErrorResponse(409, 'The webhook is disabled (`webhook_disabled`)')
  @ApiErrorResponse(
    422,
    `Bad since or until, until not after since, a window longer than ${MAX_RECOVER_WINDOW_DAYS} days, or since older than the retention period`,
  )
  recover(
    @CallerAccount() accountId: AccountId,
    @IdParam('id', 'webhook', 'Webhook') id: WebhookId,
    @Body({ schema: recoverSchema }) body: RecoverBody,
  ) {
    return this.resends.recover(accountId, id, body);
  }
}
