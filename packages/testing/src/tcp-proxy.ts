import { connect, createServer, type Server, type Socket } from 'node:net';

/** What the proxy does with connections: pass them on, refuse them, or swallow them. */
export type ProxyMode = 'pass' | 'down' | 'stall';

/**
 * A TCP proxy on 127.0.0.1 between an app and a server (Postgres), to take the server away from
 * that app alone — the shared server keeps serving everyone else:
 * - `down()`: Postgres stopped — new connections are refused (nothing listens), open ones are reset.
 * - `stall()`: the network black-holes — new connections are accepted and never answered, open
 *   ones stop carrying bytes either way (they stay open).
 * - `pass()`: back to normal — stalled connections carry their bytes again (the partition heals),
 *   and new ones are passed through.
 */
export interface TcpProxy {
  readonly port: number;
  readonly mode: ProxyMode;
  /** `url` (e.g. a DATABASE_URL) with its host and port swapped for the proxy's. */
  via(url: string): string;
  pass(): Promise<void>;
  down(): Promise<void>;
  stall(): void;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket;
}

/** Starts a proxy to the host and port of `targetUrl` (e.g. a test database's URL), passing. */
export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl);
  let mode: ProxyMode = 'pass';
  const pairs = new Set<Pair>();
  /** Connections accepted while stalled: never answered, closed when the proxy passes again. */
  const swallowed = new Set<Socket>();

  const flow = ({ client, upstream }: Pair): void => {
    client.pipe(upstream);
    upstream.pipe(client);
  };
  const freeze = ({ client, upstream }: Pair): void => {
    client.unpipe(upstream);
    upstream.unpipe(client);
    client.pause();
    upstream.pause();
  };

  const server: Server = createServer((client) => {
    client.on('error', () => {});
    if (mode === 'stall') {
      swallowed.add(client);
      client.pause();
      client.on('close', () => swallowed.delete(client));
      return;
    }
    const upstream = connect(Number(target.port || 5432), target.hostname);
    upstream.on('error', () => client.destroy());
    const pair = { client, upstream };
    pairs.add(pair);
    const forget = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', forget);
    upstream.on('close', forget);
    flow(pair);
  });

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const port = (server.address() as { port: number }).port;

  const down = async (): Promise<void> => {
    if (mode === 'down') return;
    mode = 'down';
    for (const { client, upstream } of pairs) {
      client.resetAndDestroy();
      upstream.destroy();
    }
    for (const socket of swallowed) socket.resetAndDestroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };

  return {
    port,
    get mode() {
      return mode;
    },
    via(url) {
      const proxied = new URL(url);
      proxied.hostname = '127.0.0.1';
      proxied.port = String(port);
      return proxied.toString();
    },
    async pass() {
      if (mode === 'down') await listen(port);
      if (mode === 'stall') {
        for (const pair of pairs) flow(pair);
        for (const socket of swallowed) socket.destroy();
      }
      mode = 'pass';
    },
    down,
    stall() {
      if (mode === 'down') throw new Error('the proxy is down: pass() before stall()');
      mode = 'stall';
      for (const pair of pairs) freeze(pair);
    },
    close: down,
  };
}
