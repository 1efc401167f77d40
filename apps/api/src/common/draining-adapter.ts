import { createServer, type Server as HttpServer } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import { setImmediate as nextLoopTurn, setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyServerOptions } from 'fastify';

/**
 * How long kept-alive connections may still bring a request after the listener closed. Under load
 * a client's next request is often already in the socket's buffer, unread: closing the connection
 * at once would reset it, and the client could not tell whether it was served.
 */
const KEEP_ALIVE_GRACE_MS = 500;

/**
 * The Fastify adapter with a drain at the start of `app.close()` (Nest awaits `beforeClose` before
 * any module's shutdown hook, so Postgres and Redis are still there for the requests being served):
 * the listener closes, so new connections are refused; from then on every answer closes its
 * connection; requests already on their way over kept-alive connections are served during a short
 * grace; then idle connections are closed and the requests in progress finish. The 65 s keep-alive
 * never holds the shutdown, and no request the API read goes unanswered. Servers added with
 * `addServer` (INTERNAL_PORT's) are drained the same way, together with the first.
 */
export class DrainingFastifyAdapter extends FastifyAdapter {
  private draining = false;
  private readonly addedServers: HttpServer[] = [];

  constructor(options: FastifyServerOptions) {
    // Fastify would answer requests arriving while it closes with its own 503, not in our error
    // shape; they are served instead (each answer closes its connection, so they are few).
    super({ ...options, return503OnClosing: false });
    this.getInstance().addHook('onSend', (_request, reply, payload, done) => {
      if (this.draining) void reply.header('Connection', 'close');
      done(null, payload);
    });
  }

  /**
   * Another server (not yet listening) on this app's routes: Fastify's router (`routing`, what its
   * `serverFactory` examples hand their server), with the first server's timeouts and client-error
   * answers, drained and closed with it.
   */
  addServer(): HttpServer {
    const fastify = this.getInstance();
    const first = fastify.server;
    const server = createServer((req, res) => fastify.routing(req, res));
    server.requestTimeout = first.requestTimeout;
    server.headersTimeout = first.headersTimeout;
    server.keepAliveTimeout = first.keepAliveTimeout;
    server.maxRequestsPerSocket = first.maxRequestsPerSocket;
    server.setTimeout(first.timeout);
    for (const listener of first.listeners('clientError')) server.on('clientError', listener as (error: Error, socket: Socket) => void);
    this.addedServers.push(server);
    return server;
  }

  override async beforeClose(): Promise<void> {
    super.beforeClose();
    this.draining = true;
    const listening = [this.getHttpServer() as HttpServer, ...this.addedServers].filter((server) => server.listening);
    // net.Server's close stops accepting; http.Server's would also drop idle keep-alive connections now.
    for (const server of listening) NetServer.prototype.close.call(server);
    const connections = await Promise.all(listening.map((server) => promisify(server.getConnections.bind(server))()));
    if (connections.some((count) => count > 0)) {
      await sleep(KEEP_ALIVE_GRACE_MS);
      await nextLoopTurn(); // one I/O poll after the timer: data that arrived meanwhile is read
    }
    // Each closes its idle connections and waits for the requests in progress.
    await Promise.all([
      this.getInstance().close(),
      ...this.addedServers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
    ]);
  }
}
