import fastifyCookie from '@fastify/cookie';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'nestjs-pino';
import { ensureDefaultMetrics, REQUEST_ID_HEADER, requestIdOf, type ApiConfig } from '@inbox/server';
import { AppModule } from './app.module.js';
import { carriesInternalToken, internalTokenDigest } from './auth/internal-token.guard.js';
import { BATCH_INGEST_PATH, bodyLimitHook, MAX_BATCH_INGEST_BODY_BYTES, MAX_BODY_BYTES } from './common/body-limit.js';
import { clientErrorHandler } from './common/client-error.js';
import { DrainingFastifyAdapter } from './common/draining-adapter.js';
import { toErrorResponse, withRequestId } from './common/error-response.js';
import { separateInternalRoutes } from './common/internal-listener.js';
import { recordRequestDurations } from './common/request-metrics.js';
import { serveDashboard } from './dashboard/serve-dashboard.js';
import { setupOpenApi } from './openapi/openapi.js';

/**
 * Builds the configured API app (used by main.ts and by tests through supertest).
 *
 * Nest runs on Fastify rather than Express: measured on this machine, Nest + Express spends about
 * 300 µs of CPU per small JSON POST before a handler runs, Nest + Fastify about 75 µs, and
 * single-event ingest is the API's hot path (bench/RESULTS.md).
 */
export async function createApiApp(config: ApiConfig): Promise<NestFastifyApplication> {
  ensureDefaultMetrics('inbox-api');
  const adapter = new DrainingFastifyAdapter({
    // The largest any route accepts; bodyLimitHook holds every other request to MAX_BODY_BYTES.
    bodyLimit: MAX_BATCH_INGEST_BODY_BYTES,
    // A whole request (headers and body) within 30 s. Fastify's default is no limit at all, Node's
    // own 300 s: a client trickling a body in must not hold a connection and a parser for minutes.
    requestTimeout: 30_000,
    // Idle keep-alive connections outlive a load balancer's side (AWS ALB's idle timeout is 60 s;
    // behind a balancer with a longer one, raise this above it): the balancer, not the API, closes
    // an idle connection, and never sends a request on one the API is closing at that moment
    // (ECONNRESET, a 502 for the caller). Shutdown is not delayed: the drain drops idle connections
    // and closes each busy one after its answer (DrainingFastifyAdapter).
    keepAliveTimeout: 65_000,
    // `/v1/webhooks/` is `/v1/webhooks`, as it was on Express.
    routerOptions: { ignoreTrailingSlash: true },
    // Plain JSON.parse semantics, as before: a `__proto__` key is an own property that validation
    // drops, not a 400.
    onProtoPoisoning: 'ignore',
    onConstructorPoisoning: 'ignore',
    // The router's own refusals (bad percent-encoding, an over-long id) in our error shape.
    frameworkErrors: (error: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
      const answer = toErrorResponse(error);
      void reply.headers({ ...answer.headers, [REQUEST_ID_HEADER]: req.id }).status(answer.status).send(withRequestId(answer.body, req.id));
    },
    // The caller's X-Request-Id when well-formed, else a generated one (see requestIdOf).
    genReqId: requestIdOf,
    // Requests Node's parser refuses (headers over its limit, a broken request line), in our error shape too.
    clientErrorHandler,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    bufferLogs: true,
    // Keeps the exact request bytes for Idempotency-Key request hashing.
    rawBody: true,
  });
  const logger = app.get(Logger);
  app.useLogger(logger);
  // The dashboard's session cookie (auth/dashboard-session.ts), and its pages at /dashboard.
  await app.register(fastifyCookie);
  serveDashboard(app.getHttpAdapter().getInstance(), config.dashboardDir, (message) => logger.log(message, 'Dashboard'));
  const serviceToken = internalTokenDigest(config.internalToken);
  const fastify = app.getHttpAdapter().getInstance();
  // Every answer names its request, 404s and errors included.
  fastify.addHook('onRequest', (req, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, req.id);
    done();
  });
  // INTERNAL_PORT: /internal/v1 and its docs answer on their own listener only (listenInternal), the
  // public routes on PORT's only; health on both.
  if (config.internalPort !== undefined) separateInternalRoutes(fastify);
  fastify
    .addHook(
      'preParsing',
      bodyLimitHook((req) =>
        req.routeOptions.url === BATCH_INGEST_PATH && carriesInternalToken(req, serviceToken) ? MAX_BATCH_INGEST_BODY_BYTES : MAX_BODY_BYTES,
      ),
    );
  recordRequestDurations(fastify);
  setupOpenApi(app);
  return app;
}
