import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { ensureDefaultMetrics, type AppConfig } from '@inbox/server';
import { AppModule } from './app.module.js';
import { setupOpenApi } from './openapi.js';

/** Request bodies above this are refused with 413 before any handler runs. */
export const MAX_BODY = '256kb';

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
  app.useBodyParser('json', { limit: MAX_BODY });
  app.disable('x-powered-by');
  app.enableShutdownHooks();
  setupOpenApi(app);
  return app;
}
