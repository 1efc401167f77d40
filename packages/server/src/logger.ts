import { LoggerModule } from 'nestjs-pino';
import type { DynamicModule } from '@nestjs/common';
import type { AppConfig } from './config.js';

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

export function loggerModule(config: Pick<AppConfig, 'logLevel'>, name: string): DynamicModule {
  return LoggerModule.forRoot({
    pinoHttp: {
      name,
      level: config.logLevel,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      autoLogging: { ignore: (req) => /^\/(health|metrics)/.test(req.url ?? '') },
      customProps: () => ({}),
    },
  });
}
