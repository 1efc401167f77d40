import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { REQUEST_ID_HEADER, ThrottledWarning } from '@inbox/server';
import type { ErrorBody } from './api-error.js';
import { toErrorResponse, withRequestId } from './error-response.js';
import { StoredResponse } from './stored-response.js';

/** The one place errors become HTTP answers: `{"error": {code, message, details?}}`. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');
  /** An outage fails every request: a few lines per outage, not one per request. */
  private readonly outages = new ThrottledWarning((m) => this.logger.warn(m));

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<FastifyReply>();
    if (res.sent) return;
    const req = http.getRequest<FastifyRequest>();
    if (error instanceof StoredResponse) {
      // A replayed error names the request it answers now, like the X-Request-Id header.
      const body = isErrorBody(error.body) ? withRequestId(error.body, req.id) : error.body;
      void res.headers({ 'Idempotent-Replayed': 'true', [REQUEST_ID_HEADER]: req.id }).status(error.status).send(body);
      return;
    }
    const answer = toErrorResponse(error);
    if (answer.unexpected) {
      // Named here because above `info` no request logger is bound to the line (see loggerModule).
      this.logger.error(`${req.method} ${req.url} (request ${req.id}): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    } else if (answer.outage) {
      this.outages.warn(`${req.method} ${req.url} answered 503: ${answer.outage}`);
    }
    void res.headers({ ...answer.headers, [REQUEST_ID_HEADER]: req.id }).status(answer.status).send(withRequestId(answer.body, req.id));
  }
}

function isErrorBody(body: unknown): body is ErrorBody {
  return typeof body === 'object' && body !== null && typeof (body as ErrorBody).error === 'object' && (body as ErrorBody).error !== null;
}
