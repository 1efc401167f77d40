import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request as the receiver saw it. */
export interface ReceivedRequest {
  method: string;
  /** Path and query string. */
  path: string;
  /** Lower-case header names, as Node parses them. */
  headers: IncomingHttpHeaders;
  /** The raw body bytes. */
  body: Buffer;
  /** `Date.now()` when the request's headers arrived. */
  receivedAt: number;
}

/** How to answer one request. Every field is optional: the default answer is `200 OK`. */
export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Wait this long before answering (a slow endpoint). */
  delayMs?: number;
  /** Cut the connection instead of answering (a crashing endpoint). */
  destroy?: boolean;
}

/** Decides the reply to the `index`-th request (0-based, in arrival order). A number is a status. */
export type ReceiverHandler = (request: ReceivedRequest, index: number) => Reply | number | Promise<Reply | number>;

export interface Receiver {
  /** `http://127.0.0.1:<port>`; append any path. */
  readonly url: string;
  /** Every request so far, in arrival order. */
  readonly requests: ReceivedRequest[];
  /** Requests whose reply has not been sent yet. */
  readonly inFlight: number;
  /** The most requests that were ever in flight at once. */
  readonly maxInFlight: number;
  /** Queue replies for the next requests (used before the handler); a number is a status. */
  enqueue(...replies: Array<Reply | number>): void;
  /** Replace the handler used once the queue is empty. */
  setHandler(handler: ReceiverHandler): void;
  /** Resolves with the requests once at least `count` arrived matching `filter`; rejects after `timeoutMs`. */
  waitFor(count: number, options?: { timeoutMs?: number; filter?: (r: ReceivedRequest) => boolean }): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

const ok: ReceiverHandler = () => ({ status: 200, body: 'OK' });

/**
 * A local HTTP endpoint for delivery tests, on 127.0.0.1 and a free port: records every request
 * (method, headers, raw body bytes, arrival time) and answers as programmed — a queue of replies
 * first (`enqueue(500, 500, 200)`), then `handler` (200 by default). Replies can be slow, redirects
 * (`{status: 302, headers: {location}}`) or dropped connections.
 */
export async function startReceiver(handler: ReceiverHandler = ok): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const queued: Array<Reply | number> = [];
  const sockets = new Set<Socket>();
  const waiters = new Set<() => void>();
  const timers = new Set<NodeJS.Timeout>();
  let current = handler;
  let inFlight = 0;
  let maxInFlight = 0;

  const server: Server = createServer((req, res) => {
    const receivedAt = Date.now();
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => (inFlight -= 1));
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
        receivedAt,
      };
      const index = requests.push(request) - 1;
      for (const wake of waiters) wake();
      const next = queued.shift();
      Promise.resolve()
        .then(() => next ?? current(request, index))
        .then((reply) => respond(res, typeof reply === 'number' ? { status: reply } : reply))
        .catch(() => respond(res, { status: 500, body: 'receiver handler failed' }));
    });
  });

  const respond = (res: ServerResponse, reply: Reply) => {
    const send = () => {
      if (res.destroyed) return;
      if (reply.destroy) {
        res.socket?.destroy();
        return;
      }
      res.writeHead(reply.status ?? 200, reply.headers);
      res.end(reply.body ?? '');
    };
    if (!reply.delayMs) return send();
    const timer = setTimeout(() => {
      timers.delete(timer);
      send();
    }, reply.delayMs);
    timers.add(timer);
  };

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    enqueue: (...replies) => void queued.push(...replies),
    setHandler: (next) => void (current = next),
    waitFor(count, { timeoutMs = 10_000, filter = () => true } = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const matched = requests.filter(filter);
          if (matched.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(matched);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`receiver: ${requests.filter(filter).length} of ${count} requests after ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
