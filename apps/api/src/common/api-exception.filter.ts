import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { toErrorResponse } from './error-response.js';
import { StoredResponse } from './stored-response.js';

/** The one place errors become HTTP answers: `{"error": {code, message, details?}}`. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    if (res.headersSent) return;
    if (error instanceof StoredResponse) {
      res.setHeader('Idempotent-Replayed', 'true');
      res.status(error.status).json(error.body);
      return;
    }
    const answer = toErrorResponse(error);
    if (answer.unexpected) {
      // Named here because above `info` no request logger is bound to the line (see loggerModule).
      const req = http.getRequest<Request>();
      this.logger.error(`${req.method} ${req.path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
    res.status(answer.status).json(answer.body);
  }
}
