/**
 * The bench's webhook receiver, run in its own process (forked by ReceiverProcess) so that taking
 * requests never competes with the harness's event loop.
 *
 * - `ok` mode answers 200 at once and records, per event id (`x-inbox-event-id`), the first and last
 *   arrival time and the number of arrivals, and per path the distinct event ids seen.
 * - `hang` mode reads the request and never answers: the endpoint that makes every delivery wait
 *   for INBOX_DELIVERY_TIMEOUT.
 *
 * Times are `performance.timeOrigin + performance.now()`: wall-clock milliseconds with sub-ms
 * resolution, comparable with the harness's clock.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { now } from '../stats.js';
import type { Arrival, ReceiverReply, ReceiverRequest } from './protocol.js';

const mode = process.argv[2] === 'hang' ? 'hang' : 'ok';

const arrivals = new Map<string, Arrival>();
const idsByPath = new Map<string, Set<string>>();
let open = 0;
const openByPath = new Map<string, number>();

function record(req: IncomingMessage): void {
  const id = req.headers['x-inbox-event-id'];
  if (typeof id !== 'string') return;
  const at = now();
  const seen = arrivals.get(id);
  if (seen) {
    seen.last = at;
    seen.count++;
  } else {
    arrivals.set(id, { first: at, last: at, count: 1 });
  }
  const path = req.url ?? '/';
  let ids = idsByPath.get(path);
  if (!ids) idsByPath.set(path, (ids = new Set()));
  ids.add(id);
}

const sockets = new Set<Socket>();
const server = createServer({ keepAliveTimeout: 60_000, requestTimeout: 0 }, (req: IncomingMessage, res: ServerResponse) => {
  const path = req.url ?? '/';
  open++;
  openByPath.set(path, (openByPath.get(path) ?? 0) + 1);
  res.on('close', () => {
    open--;
    const left = openByPath.get(path)! - 1;
    if (left === 0) openByPath.delete(path);
    else openByPath.set(path, left);
  });
  if (mode === 'hang') {
    req.resume();
    return;
  }
  record(req);
  req.resume();
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' }).end('ok');
});
server.headersTimeout = 0;
server.on('connection', (socket) => {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
});

function answer(request: ReceiverRequest): ReceiverReply['result'] {
  switch (request.op) {
    case 'stats':
      return {
        open,
        openByPath: Object.fromEntries(openByPath),
        paths: Object.fromEntries([...idsByPath].map(([path, ids]) => [path, ids.size])),
      };
    case 'arrivals':
      return Object.fromEntries(request.ids.flatMap((id) => (arrivals.has(id) ? [[id, arrivals.get(id)!]] : [])));
  }
}

process.on('message', (request: ReceiverRequest) => {
  process.send!({ reqId: request.reqId, result: answer(request) } satisfies ReceiverReply);
});

// Closing destroys held connections at once, so a client waiting on the hanging endpoint fails now
// instead of at its timeout.
function shutdown(): void {
  for (const socket of sockets) socket.destroy();
  server.close(() => process.exit(0));
}
process.on('SIGTERM', shutdown);
process.on('disconnect', shutdown);

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.send!({ ready: true, port });
});
