import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponse } from '../common/api-error-response.decorator.js';
import { InternalAuth } from '../auth/auth.decorators.js';
import { ingestAcceptedSchema, ingestBatchResultSchema, ingestBatchSchema, ingestEventSchema, type IngestBatch, type IngestEvent } from './ingest.dto.js';
import { IngestService } from './ingest.service.js';

@ApiTags('events')
@InternalAuth()
@Controller('internal/v1/events')
export class IngestController {
  constructor(private readonly ingest: IngestService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    operationId: 'ingestEvent',
    summary: 'Ingest one event',
    description:
      'Stores the event and one delivery per enabled webhook of the account subscribed to its type, in one transaction, then queues the deliveries. ' +
      '`deliveries` is how many were made. Idempotent on `id`: a repeat gets the same answer and delivers nothing new.',
  })
  @ApiAcceptedResponse({ standardSchema: ingestAcceptedSchema })
  @ApiErrorResponse(409, 'The event id is already used by another account')
  @ApiErrorResponse(422, 'Unknown type, bad data or unknown account; details name each field')
  one(@Body({ schema: ingestEventSchema }) event: IngestEvent) {
    return this.ingest.ingestOne(event);
  }

  @Post('batch')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'ingestEvents',
    summary: 'Ingest up to 500 events in one transaction',
    description:
      'The request body may be up to 4 MiB (other routes: 256 KiB); larger answers 413. ' +
      'All items are validated first: if any is invalid the answer is 422 with every problem (paths `events.<index>.…`) and nothing is stored. ' +
      'Otherwise each item is `accepted`, `duplicate` (same id stored before for the same account) or `rejected` (id used by another account).',
  })
  @ApiAcceptedResponse({ standardSchema: ingestBatchResultSchema })
  @ApiErrorResponse(413, 'The body is larger than 4 MiB')
  batch(@Body({ schema: ingestBatchSchema }) body: IngestBatch) {
    return this.ingest.ingestBatch(body.events);
  }
}
