import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { closeOnSignals, loadDispatcherConfig, runMain } from '@inbox/server';
import { createDispatcherApp } from './bootstrap.js';

async function main(): Promise<void> {
  const config = loadDispatcherConfig();
  const app = await createDispatcherApp(config);
  await app.listen(config.dispatcherPort, '0.0.0.0');
  const logger = app.get(Logger);
  logger.log(`Inbox dispatcher running (health and metrics on ${await app.getUrl()})`);
  // SIGTERM: stop taking jobs, let in-flight attempts finish and be recorded, then exit 0.
  closeOnSignals(app, config.shutdownTimeoutMs, (m) => logger.log(m));
}

runMain(main);
