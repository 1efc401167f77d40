import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Response } from 'express';
import { Logger } from 'nestjs-pino';
import { ensureDefaultMetrics, type AppConfig } from '@inbox/server';
import { AppModule } from './app.module.js';
import { carriesInternalToken, internalTokenDigest } from './auth/internal-token.guard.js';
import type { ApiRequest } from './common/request-context.js';
import { setupOpenApi } from './openapi.js';

/** Request bodies above this are refused with 413 before any handler runs (the customer API contract). */
export const MAX_BODY = '256kb';

export const BATCH_INGEST_PATH = '/internal/v1/events/batch';
/**
 * The batch ingest route's own limit: it takes up to MAX_BATCH_EVENTS (500) events, and 500 events
 * of ~1 KB are ~500 KB, past MAX_BODY. 4 MiB holds 500 events of ~8 KiB; callers with larger
 * events send smaller batches. Only a caller carrying the service token gets it: anyone else is
 * held to MAX_BODY, so an unauthenticated client cannot make the API parse megabytes before the
 * guard answers 401.
 */
export const MAX_BATCH_INGEST_BODY = '4mb';

/** Keeps the exact request bytes for Idempotency-Key request hashing (what Nest's `rawBody` does). */
const keepRawBody = (req: ApiRequest, _res: Response, buffer: Buffer): void => {
  req.rawBody = buffer;
};

/** Builds the configured API app (used by main.ts and by tests through supertest). */
export async function createApiApp(config: AppConfig): Promise<NestExpressApplication> {
  ensureDefaultMetrics('inbox_api_');
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bufferLogs: true,
    bodyParser: false,
    // Keeps the exact request bytes for Idempotency-Key request hashing.
    rawBody: true,
  });
  app.useLogger(app.get(Logger));
  // Before the general parser: a body parsed here is not parsed again (body-parser skips it).
  const batchParser = express.json({ limit: MAX_BATCH_INGEST_BODY, verify: keepRawBody });
  const serviceToken = internalTokenDigest(config.internalToken);
  app.use(BATCH_INGEST_PATH, (req: ApiRequest, res: Response, next: NextFunction) =>
    carriesInternalToken(req, serviceToken) ? batchParser(req, res, next) : next(),
  );
  app.useBodyParser('json', { limit: MAX_BODY });
  app.disable('x-powered-by');
  app.enableShutdownHooks();
  setupOpenApi(app);
  return app;
}
