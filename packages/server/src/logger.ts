import { LoggerModule } from 'nestjs-pino';
import { RequestMethod, type DynamicModule } from '@nestjs/common';
import type { SharedConfig } from './config.js';
import { requestIdOf } from './request-id.js';

/** Paths never written to a log line: credentials and webhook secrets. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-internal-token"]',
  'req.headers.cookie',
  'secret',
  '*.secret',
  'api_key',
  '*.api_key',
];

/** Levels at which request lines (pino-http logs them at `info`) are written. */
const REQUEST_LOG_LEVELS: ReadonlySet<SharedConfig['logLevel']> = new Set(['info', 'debug', 'trace']);

/**
 * Pino for the whole app. At `info` and below every HTTP request gets a line (and app logs made
 * while serving it carry the request). Above `info` no request line would ever be written, so the
 * pino-http middleware is not mounted at all: it would still build two redacting child loggers and
 * hook every response, about a tenth of the API's CPU under load. App logs (5xx from the exception
 * filter, warnings) still go through the same redacting root logger.
 */
export function loggerModule(config: Pick<SharedConfig, 'logLevel'>, name: string): DynamicModule {
  const logRequests = REQUEST_LOG_LEVELS.has(config.logLevel);
  return LoggerModule.forRoot({
    pinoHttp: {
      name,
      level: config.logLevel,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // originalUrl: under Fastify's middleware layer `url` may be relative to the mount path.
      autoLogging: logRequests ? { ignore: (req) => /^\/(health|metrics)/.test((req as { originalUrl?: string }).originalUrl ?? req.url ?? '') } : false,
      customProps: () => ({}),
      // The id Fastify answers with (`X-Request-Id`), on the request line and every line logged while serving it.
      genReqId: (req) => requestIdOf(req),
    },
    // Every path, spelled so both Express 5 and Fastify's middie match it (nestjs-pino's default
    // misses every route under Fastify).
    forRoutes: logRequests ? [{ path: '{*path}', method: RequestMethod.ALL }] : [],
  });
}
