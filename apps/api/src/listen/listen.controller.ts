import { Body, Controller, Delete, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccountId, WebhookId } from '@inbox/db';
import { CustomerAuth } from '../auth/auth.decorators.js';
import { NotRateLimited } from '../auth/rate-limit.guard.js';
import { ApiErrorResponse } from '../common/api-error-response.decorator.js';
import { IdParam } from '../common/id-param.js';
import { CallerAccount } from '../common/request-context.js';
import { listenQuerySchema, listenResponseSchema, type ListenQuery, type ListenResponseBody } from './listen.dto.js';
import { LISTEN_HEARTBEAT_MS, ListenService } from './listen.service.js';

@ApiTags('listen')
@CustomerAuth()
@Controller('v1/listen')
export class ListenController {
  constructor(private readonly listen: ListenService) {}

  @Get()
  @ApiOperation({
    operationId: 'openListenSession',
    summary: 'Listen for events (what `inbox listen` uses)',
    description:
      'Opens a listen session: a Server-Sent Events stream that gets every event of the account that matches, as a delivery to forward. ' +
      'The first event, `session`, is `{id, secret, events}` (see the ListenSession schema): every delivery is signed with that secret. ' +
      'Each `delivery` event is `{request_id, session_id, event_id, event_type, attempt, headers, body, timeout_ms}`: POST `body` (exactly these ' +
      'bytes) with `headers` to your local server, then report its answer within `timeout_ms` at `POST /v1/listen/{id}/responses`. ' +
      `A comment line comes every ${LISTEN_HEARTBEAT_MS / 1000} s. Deliveries are retried on the normal schedule and logged at ` +
      '`GET /v1/webhooks/{id}/logs`; when the stream closes the session ends and nothing more is sent to it.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'The stream: `event: session`, then `event: delivery` per delivery', content: { 'text/event-stream': { schema: { type: 'string' } } } })
  @ApiErrorResponse(404, 'No such webhook (webhook_id)')
  @ApiErrorResponse(409, 'The account has the most listen sessions it may have open (`listen_limit_reached`)')
  async open(
    @CallerAccount() accountId: AccountId,
    @Query({ schema: listenQuerySchema }) query: ListenQuery,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.listen.open(accountId, query, req, reply);
  }

  @Post(':id/responses')
  @NotRateLimited()
  @HttpCode(204)
  @ApiOperation({
    operationId: 'reportListenResponse',
    summary: "Report the local server's answer to a delivery of a listen session",
    description:
      'Give `status_code` (what your server answered) or `error` (why it gave none). It becomes the attempt in the log. Not counted by the per-key rate limit: the platform decides how many deliveries a session gets.',
  })
  @ApiNoContentResponse()
  @ApiErrorResponse(404, 'No such listen session (it ended)')
  @ApiErrorResponse(422, 'Invalid report')
  async respond(
    @CallerAccount() accountId: AccountId,
    @IdParam('id', 'webhook', 'Listen session') id: WebhookId,
    @Body({ schema: listenResponseSchema }) body: ListenResponseBody,
  ): Promise<void> {
    await this.listen.respond(accountId, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'closeListenSession',
    summary: 'End a listen session',
    description: 'Nothing more is sent to it, its pending deliveries end unsent, and its stream closes. Closing the stream ends it too; this says when it is done.',
  })
  @ApiNoContentResponse()
  @ApiErrorResponse(404, 'No such listen session (it ended)')
  async close(@CallerAccount() accountId: AccountId, @IdParam('id', 'webhook', 'Listen session') id: WebhookId): Promise<void> {
    await this.listen.close(accountId, id);
  }
}
