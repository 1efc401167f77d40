import { startReceiver, type Receiver } from '@inbox/testing';
import { DISPATCHER_MAIN, kill, runApp, type RunningProcess } from './support/process.js';
import { waitFor } from './support/wait.js';
import { createTestWorld, type TestWorld } from './support/world.js';

describe('graceful shutdown of the built dispatcher (node dist/main.js)', () => {
  let world: TestWorld;
  let receiver: Receiver;
  let dispatcher: RunningProcess | undefined;

  beforeAll(async () => {
    world = await createTestWorld('dispatch_shutdown', { INBOX_DELIVERY_TIMEOUT: '5s', INBOX_SHUTDOWN_TIMEOUT: '10s' });
    receiver = await startReceiver(() => ({ status: 200, body: 'got it, slowly', delayMs: 1_500 }));
  });

  afterAll(async () => {
    await kill(dispatcher);
    await receiver?.close();
    await world?.close();
  });

  it('SIGTERM during a slow request: the request completes, its attempt is recorded, the process exits 0', async () => {
    dispatcher = await runApp(DISPATCHER_MAIN, world.env);
    const account = await world.fixtures.account();
    await world.fixtures.webhook(account, `${receiver.url}/slow`);
    const event = await world.fixtures.ingest(account, { type: 'message.delivered', data: {} });
    await world.enqueue(event.deliveryIds);

    await receiver.waitFor(1);
    expect(receiver.inFlight).toBe(1);
    const signalled = Date.now();
    dispatcher.child.kill('SIGTERM');

    expect(await dispatcher.exited).toBe(0);
    expect(Date.now() - signalled).toBeGreaterThanOrEqual(1_000); // it waited for the answer
    const delivery = await world.fixtures.delivery(event.deliveryIds[0]!);
    expect(delivery).toMatchObject({ status: 'succeeded', attempts: 1 });
    const attempts = await world.fixtures.attempts(event.deliveryIds[0]!);
    expect(attempts).toEqual([expect.objectContaining({ attempt_number: 1, status_code: 200, succeeded: true, response_body: 'got it, slowly' })]);
    expect(attempts[0]!.duration_ms).toBeGreaterThanOrEqual(1_400);
    expect(await waitFor('the job to be gone', async () => (await world.queue.getJob(event.deliveryIds[0]!)) === undefined)).toBe(true);
  });
});
