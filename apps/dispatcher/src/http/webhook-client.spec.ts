import { createSocket, type Socket } from 'node:dgram';
import { HostResolver, loadDispatcherConfig } from '@inbox/server';
import { startReceiver, testEnv, type Receiver } from '@inbox/testing';
import { dnsDeadlineMs } from './address-guard.js';
import { WebhookClient } from './webhook-client.js';

/** A nameserver that reads every query and answers none. */
async function deadNameserver(): Promise<{ address: string; socket: Socket; queries: number }> {
  const socket = createSocket('udp4');
  const dead = { address: '', socket, queries: 0 };
  socket.on('message', () => dead.queries++);
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  dead.address = `127.0.0.1:${socket.address().port}`;
  return dead;
}

describe('WebhookClient name resolution', () => {
  let dead: Awaited<ReturnType<typeof deadNameserver>>;
  let receiver: Receiver;
  const clients: WebhookClient[] = [];

  beforeAll(async () => {
    dead = await deadNameserver();
    receiver = await startReceiver(() => ({ status: 200, body: 'ok' }));
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.onApplicationShutdown()));
    await receiver.close();
    dead.socket.close();
  });

  function client(allowPrivateUrls: boolean, nameserver = dead): WebhookClient {
    const env = { INBOX_DELIVERY_TIMEOUT: '5s', INBOX_DNS_TIMEOUT: '300ms', INBOX_ALLOW_PRIVATE_URLS: String(allowPrivateUrls) };
    const config = loadDispatcherConfig(testEnv(env));
    const made = new WebhookClient(config, new HostResolver({ timeoutMs: dnsDeadlineMs(config), servers: [nameserver.address] }));
    clients.push(made);
    return made;
  }

  it.each([false, true])('a dead nameserver fails the attempt as `dns` at the lookup deadline, not the delivery timeout (private URLs allowed: %s)', async (allowPrivateUrls) => {
    const before = dead.queries;
    const result = await client(allowPrivateUrls).post('https://hooks.dead-dns.example/inbox', Buffer.from('{}'), { 'content-type': 'application/json' });
    expect(result).toMatchObject({ succeeded: false, statusCode: null, error: 'dns' });
    expect(result.errorMessage).toContain('hooks.dead-dns.example');
    expect(result.durationMs).toBeGreaterThanOrEqual(250);
    expect(result.durationMs).toBeLessThan(2_500); // the delivery timeout is 5 s
    expect(dead.queries).toBeGreaterThan(before);
  });

  it('reaches a localhost endpoint without asking the nameserver', async () => {
    // A nameserver of its own: c-ares may still be retrying the dead lookups above on the shared one.
    const silent = await deadNameserver();
    try {
      const port = new URL(receiver.url).port;
      const result = await client(true, silent).post(`http://localhost:${port}/hook`, Buffer.from('{}'), { 'content-type': 'application/json' });
      expect(result).toMatchObject({ succeeded: true, statusCode: 200, error: null, responseBody: 'ok' });
      expect(silent.queries).toBe(0);
    } finally {
      silent.socket.close();
    }
  });
});

describe('dnsDeadlineMs', () => {
  it('is INBOX_DNS_TIMEOUT, but at most half the delivery timeout', () => {
    expect(dnsDeadlineMs({ dnsTimeoutMs: 3_000, deliveryTimeoutMs: 10_000 })).toBe(3_000);
    expect(dnsDeadlineMs({ dnsTimeoutMs: 3_000, deliveryTimeoutMs: 2_000 })).toBe(1_000);
  });
});
