import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { toErrorResponse } from './error-response.js';
import { StoredResponse } from './stored-response.js';

/** The one place errors become HTTP answers: `{"error": {code, message, details?}}`. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    if (error instanceof StoredResponse) {
      res.setHeader('Idempotent-Replayed', 'true');
      res.status(error.status).json(error.body);
      return;
    }
    const answer = toErrorResponse(error);
    if (answer.unexpected) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
    res.status(answer.status).json(answer.body);
  }
}
