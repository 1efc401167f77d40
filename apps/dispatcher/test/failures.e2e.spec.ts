import type { INestApplication } from '@nestjs/common';
import { createServer } from 'node:net';
import { startReceiver, type Receiver } from '@inbox/testing';
import { sleep, waitFor } from './support/wait.js';
import { createTestWorld, startDispatcher, type TestWorld } from './support/world.js';
import type { AttemptRow } from './support/fixtures.js';

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('failed attempts and what the log shows (timeout 500ms, two attempts)', () => {
  let world: TestWorld;
  let app: INestApplication;
  let receiver: Receiver;

  beforeAll(async () => {
    world = await createTestWorld('dispatch_failures', { INBOX_DELIVERY_TIMEOUT: '500ms', INBOX_RETRY_SCHEDULE: '0,500ms' });
    receiver = await startReceiver((request) => {
      switch (request.path) {
        case '/slow':
          return { status: 200, delayMs: 1_500 };
        case '/redirect':
          return { status: 302, headers: { location: `${receiver.url}/elsewhere` } };
        case '/reset':
          return { destroy: true };
        case '/chatty':
          return { status: 200, body: 'x'.repeat(5_000) };
        default:
          return 200;
      }
    });
    app = await startDispatcher(world);
  });

  afterAll(async () => {
    await app?.close();
    await receiver?.close();
    await world?.close();
  });

  /** Ingests one event to a fresh webhook at `url`, enqueues it, and waits for the delivery to finish. */
  async function deliverTo(url: string, setup?: (webhookId: string) => Promise<void>) {
    const account = await world.fixtures.account(); // one webhook per account: the event goes to it alone
    const hook = await world.fixtures.webhook(account, url);
    const event = await world.fixtures.ingest(account, { type: 'message.action', data: { url } });
    const deliveryId = event.deliveryIds[0]!;
    await setup?.(hook.id);
    await world.enqueue(event.deliveryIds);
    const delivery = await waitFor(`delivery to ${url} to finish`, async () => {
      const row = await world.fixtures.delivery(deliveryId);
      return row.status !== 'pending' && row;
    });
    return { delivery, attempts: await world.fixtures.attempts(deliveryId), webhookId: hook.id };
  }

  const only = (attempts: AttemptRow[]) => attempts.map((a) => ({ n: a.attempt_number, status: a.status_code, error: a.error, ok: a.succeeded }));

  it("records a response slower than the timeout as error 'timeout', and retries it", async () => {
    const { delivery, attempts } = await deliverTo(`${receiver.url}/slow`);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 2 });
    expect(only(attempts)).toEqual([
      { n: 1, status: null, error: 'timeout', ok: false },
      { n: 2, status: null, error: 'timeout', ok: false },
    ]);
    for (const a of attempts) {
      expect(a.duration_ms).toBeGreaterThanOrEqual(450);
      expect(a.duration_ms).toBeLessThan(1_400);
      expect(a.error_message).toMatch(/500 ms/);
    }
  });

  it("never follows a redirect: a 302 is a failure with error 'redirect'", async () => {
    const { delivery, attempts } = await deliverTo(`${receiver.url}/redirect`);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 2 });
    expect(only(attempts)).toEqual([
      { n: 1, status: 302, error: 'redirect', ok: false },
      { n: 2, status: 302, error: 'redirect', ok: false },
    ]);
    expect(attempts[0]!.error_message).toContain('/elsewhere');
    expect(receiver.requests.filter((r) => r.path === '/elsewhere')).toHaveLength(0);
  });

  it("records connection errors: 'connection_refused' and 'connection_reset'", async () => {
    const refused = await deliverTo(`http://127.0.0.1:${await closedPort()}/hook`);
    expect(only(refused.attempts).map((a) => a.error)).toEqual(['connection_refused', 'connection_refused']);
    const reset = await deliverTo(`${receiver.url}/reset`);
    expect(only(reset.attempts).map((a) => a.error)).toEqual(['connection_reset', 'connection_reset']);
    expect(reset.attempts[0]!.error_message).toBeTruthy();
  });

  it('keeps the first 1 KiB of the response body', async () => {
    const { delivery, attempts } = await deliverTo(`${receiver.url}/chatty`);
    expect(delivery).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(attempts[0]!.response_body).toBe('x'.repeat(1024));
  });

  it('ends deliveries of deleted webhooks as failed without an attempt, and of disabled ones with a webhook_disabled attempt', async () => {
    const before = receiver.requests.length;
    const deleted = await deliverTo(`${receiver.url}/deleted`, (id) =>
      world.fixtures.db.query(`UPDATE webhooks SET deleted_at = now() WHERE id = $1`, [id]).then(() => undefined),
    );
    const disabled = await deliverTo(`${receiver.url}/disabled`, (id) =>
      world.fixtures.db.query(`UPDATE webhooks SET status = 'disabled', disabled_reason = 'manual', disabled_at = now() WHERE id = $1`, [id]).then(() => undefined),
    );
    expect(deleted.delivery).toMatchObject({ status: 'failed', attempts: 0, next_attempt_at: null });
    expect(deleted.attempts).toEqual([]);
    expect(disabled.delivery).toMatchObject({ status: 'failed', attempts: 1, next_attempt_at: null });
    expect(only(disabled.attempts)).toEqual([{ n: 1, status: null, error: 'webhook_disabled', ok: false }]);
    expect(disabled.attempts[0]).toMatchObject({ duration_ms: 0, response_body: null });
    expect(disabled.attempts[0]!.error_message).toMatch(/^Not sent: the webhook is disabled \(it was disabled by its owner\)/);
    await sleep(300);
    expect(receiver.requests.slice(before).filter((r) => r.path === '/deleted' || r.path === '/disabled')).toEqual([]);
  });
});
