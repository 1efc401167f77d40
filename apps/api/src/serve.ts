import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { closeOnSignals, loadApiConfig, MetricsServer, runMain } from '@inbox/server';
import { createApiApp } from './bootstrap.js';
import { listenInternal } from './common/internal-listener.js';

async function main(): Promise<void> {
  const config = loadApiConfig();
  const app = await createApiApp(config);
  await app.listen(config.port, '0.0.0.0');
  const internalUrl = config.internalPort === undefined ? undefined : await listenInternal(app, config.internalPort, '0.0.0.0');
  const logger = app.get(Logger);
  const internal = internalUrl === undefined ? '' : `, internal routes on ${internalUrl}`;
  logger.log(`Inbox API listening on ${await app.getUrl()}${internal} (metrics on ${app.get(MetricsServer).url})`);
  closeOnSignals(app, config.shutdownTimeoutMs, (m) => logger.log(m));
}

runMain(main);
