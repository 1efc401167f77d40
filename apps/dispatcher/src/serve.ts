import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { closeOnSignals, loadDispatcherConfig, MetricsServer, runMain } from '@inbox/server';
import { createDispatcherApp } from './bootstrap.js';

async function main(): Promise<void> {
  const config = loadDispatcherConfig();
  const app = await createDispatcherApp(config);
  await app.listen(config.dispatcherPort, '0.0.0.0');
  const logger = app.get(Logger);
  logger.log(`Inbox dispatcher running (health on ${await app.getUrl()} and metrics on ${app.get(MetricsServer).url})`);
  // SIGTERM: stop taking jobs, let in-flight attempts finish and be recorded, then exit 0.
  closeOnSignals(app, config.shutdownTimeoutMs, (m) => logger.log(m));
}

runMain(main);
