import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { OPENAPI_DOCUMENTS } from '../openapi/openapi.js';
import { DrainingFastifyAdapter } from './draining-adapter.js';

/** Requests read by the internal listener (INTERNAL_PORT's). */
const internalRequests = new WeakSet<IncomingMessage>();

/** Where a route answers once INTERNAL_PORT is set. */
export type RouteListener = 'public' | 'internal' | 'both';

const { prefix, ui, json, yaml } = OPENAPI_DOCUMENTS.internal;
/** The internal routes and their OpenAPI document (/docs/internal, its JSON and YAML, the UI's assets). */
const INTERNAL_ROUTES = [prefix, `/${ui}`, `/${json}`, `/${yaml}`];

/**
 * By route pattern, never the raw URL (which the router matches after decoding it): the internal
 * routes and their docs on the internal listener, health probes on both, the rest on PORT's.
 */
export function listenerOfRoute(route: string): RouteListener {
  if (route.startsWith('/health/')) return 'both';
  return INTERNAL_ROUTES.some((internal) => route.startsWith(internal)) ? 'internal' : 'public';
}

/**
 * With INTERNAL_PORT set: a route asked on the other listener answers the API's usual 404 (Fastify's
 * not-found handler, Nest's, through the exception filter), as if it did not exist there.
 */
export function separateInternalRoutes(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const route = request.routeOptions.url;
    const listener = route === undefined ? 'both' : listenerOfRoute(route);
    if (listener === 'both' || (listener === 'internal') === internalRequests.has(request.raw)) {
      done();
      return;
    }
    reply.callNotFound();
  });
}

/**
 * Listens for the internal routes on `port` (0: any free one): a second server on the app's router,
 * closed (and drained) by `app.close()` with the public one. Returns its URL.
 */
export async function listenInternal(app: NestFastifyApplication, port: number, hostname = '0.0.0.0'): Promise<string> {
  const adapter = app.getHttpAdapter();
  if (!(adapter instanceof DrainingFastifyAdapter)) throw new Error('the internal listener needs the API app (createApiApp)');
  const server = adapter.addServer();
  server.prependListener('request', (req: IncomingMessage) => internalRequests.add(req));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, hostname, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
