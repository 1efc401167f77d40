import { Server as NetServer } from 'node:net';
import type { Server as HttpServer } from 'node:http';
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
 * never holds the shutdown, and no request the API read goes unanswered.
 */
export class DrainingFastifyAdapter extends FastifyAdapter {
  private draining = false;

  constructor(options: FastifyServerOptions) {
    // Fastify would answer requests arriving while it closes with its own 503, not in our error
    // shape; they are served instead (each answer closes its connection, so they are few).
    super({ ...options, return503OnClosing: false });
    this.getInstance().addHook('onSend', (_request, reply, payload, done) => {
      if (this.draining) void reply.header('Connection', 'close');
      done(null, payload);
    });
  }

  override async beforeClose(): Promise<void> {
    super.beforeClose();
    this.draining = true;
    const server = this.getHttpServer() as HttpServer;
    if (server.listening) {
      // net.Server's close stops accepting; http.Server's would also drop idle keep-alive connections now.
      NetServer.prototype.close.call(server);
      if ((await promisify(server.getConnections.bind(server))()) > 0) {
        await sleep(KEEP_ALIVE_GRACE_MS);
        await nextLoopTurn(); // one I/O poll after the timer: data that arrived meanwhile is read
      }
    }
    await this.getInstance().close(); // closes idle connections, waits for requests in progress
  }
}
