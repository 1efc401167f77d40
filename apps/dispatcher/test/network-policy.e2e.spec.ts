import type { INestApplication } from '@nestjs/common';
import { startReceiver, type Receiver } from '@inbox/testing';
import { waitFor } from './support/wait.js';
import { createTestWorld, startDispatcher, type TestWorld } from './support/world.js';

// Targets stay on loopback: if the guard ever let one through, nothing would leave the machine.
describe('private addresses refused at connect time (INBOX_ALLOW_PRIVATE_URLS=false)', () => {
  let world: TestWorld;
  let app: INestApplication;
  let receiver: Receiver;

  beforeAll(async () => {
    world = await createTestWorld('dispatch_netpolicy', { INBOX_ALLOW_PRIVATE_URLS: 'false', INBOX_RETRY_SCHEDULE: '0,300ms' });
    receiver = await startReceiver();
    app = await startDispatcher(world);
  });

  afterAll(async () => {
    await app?.close();
    await receiver?.close();
    await world?.close();
  });

  it.each([
    ['an IP literal', (port: string) => `http://127.0.0.1:${port}/ip`],
    ['a host name resolving to loopback (checked after DNS, on the address connected to)', (port: string) => `http://localhost:${port}/name`],
    ['an IPv6 literal', (port: string) => `http://[::1]:${port}/v6`],
  ])("records %s as error 'blocked_address', retried per schedule, never sent", async (_label, urlFor) => {
    const account = await world.fixtures.account();
    const url = urlFor(new URL(receiver.url).port);
    await world.fixtures.webhook(account, url);
    const event = await world.fixtures.ingest(account, { type: 'message.delivered', data: {} });
    await world.enqueue(event.deliveryIds);
    const deliveryId = event.deliveryIds[0]!;
    const delivery = await waitFor('the delivery to fail', async () => {
      const row = await world.fixtures.delivery(deliveryId);
      return row.status !== 'pending' && row;
    });
    expect(delivery).toMatchObject({ status: 'failed', attempts: 2 });
    const attempts = await world.fixtures.attempts(deliveryId);
    expect(attempts.map((a) => [a.attempt_number, a.status_code, a.error])).toEqual([
      [1, null, 'blocked_address'],
      [2, null, 'blocked_address'],
    ]);
    expect(attempts[0]!.error_message).toMatch(/not a public address/);
    expect(receiver.requests).toHaveLength(0);
  });
});
