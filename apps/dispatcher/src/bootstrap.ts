import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { ensureDefaultMetrics, type DispatcherConfig } from '@inbox/server';
import { DispatcherModule } from './dispatcher.module.js';

/**
 * Builds the configured dispatcher (used by main.ts and by tests). Its HTTP server only serves
 * /health (metrics have their own port, METRICS_PORT); the workers start when the app is initialised (`init()` or `listen()`).
 */
export async function createDispatcherApp(config: DispatcherConfig): Promise<NestExpressApplication> {
  ensureDefaultMetrics('inbox-dispatcher');
  const app = await NestFactory.create<NestExpressApplication>(DispatcherModule.forRoot(config), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  return app;
}
