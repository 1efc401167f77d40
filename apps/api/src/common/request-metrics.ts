import type { FastifyInstance } from 'fastify';
import { Histogram } from 'prom-client';
import { metricsRegistry } from '@inbox/server';

const requestDuration = new Histogram({
  name: 'inbox_api_request_duration_seconds',
  help: 'HTTP requests served, by route pattern, method and status (first byte in to last byte out)',
  labelNames: ['route', 'method', 'status'],
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

/**
 * Times every request by its route pattern (`/v1/webhooks/:id`, never the raw URL: ids in labels
 * would make a series per webhook); requests no route matched share `route="unmatched"`.
 */
export function recordRequestDurations(fastify: FastifyInstance): void {
  fastify.addHook('onResponse', (req, reply, done) => {
    requestDuration.observe(
      { route: req.routeOptions.url ?? 'unmatched', method: req.method, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });
}
