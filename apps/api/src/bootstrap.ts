import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { ensureDefaultMetrics, type AppConfig } from '@inbox/server';
import { AppModule } from './app.module.js';

/** Builds the configured API app (used by main.ts and by tests through supertest). */
export async function createApiApp(config: AppConfig): Promise<NestExpressApplication> {
  ensureDefaultMetrics('inbox_api_');
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.useBodyParser('json', { limit: '256kb' });
  app.enableShutdownHooks();
  return app;
}
