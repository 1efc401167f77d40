import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { closeOnSignals, loadConfig, runMain } from '@inbox/server';
import { createApiApp } from './bootstrap.js';

/**
 * Idle keep-alive connections are kept open longer than a load balancer keeps its side (AWS ALB's
 * default idle timeout is 60 s; behind a balancer with a longer one, raise this above it). Then the
 * balancer, not the API, closes an idle connection, and never sends a request on one the API is
 * closing at that moment (`ECONNRESET`, a 502 for the caller). Node's default is 5 s. Shutdown is
 * not delayed by it: server.close() drops idle connections at once.
 */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;
/** Must exceed keepAliveTimeout, or a request arriving late on an idle connection is cut off. */
const HEADERS_TIMEOUT_MS = KEEP_ALIVE_TIMEOUT_MS + 1_000;

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApiApp(config);
  const server = app.getHttpServer();
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  await app.listen(config.port, '0.0.0.0');
  const logger = app.get(Logger);
  logger.log(`Inbox API listening on ${await app.getUrl()}`);
  closeOnSignals(app, config.shutdownTimeoutMs, (m) => logger.log(m));
}

runMain(main);
