import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ThrottledWarning } from '@inbox/server';
import { toErrorResponse } from './error-response.js';
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
    if (error instanceof StoredResponse) {
      void res.header('Idempotent-Replayed', 'true').status(error.status).send(error.body);
      return;
    }
    const answer = toErrorResponse(error);
    if (answer.unexpected) {
      // Named here because above `info` no request logger is bound to the line (see loggerModule).
      const req = http.getRequest<FastifyRequest>();
      this.logger.error(`${req.method} ${req.url}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    } else if (answer.outage) {
      const req = http.getRequest<FastifyRequest>();
      this.outages.warn(`${req.method} ${req.url} answered 503: ${answer.outage}`);
    }
    void res.headers(answer.headers).status(answer.status).send(answer.body);
  }
}
