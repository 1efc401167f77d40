import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { SecretBox } from '@inbox/db';
import { verifyInboxSignature } from '@inbox/signing';
import { startReceiver, type Receiver } from '@inbox/testing';
import { sleep, waitFor } from './support/wait.js';
import { createTestWorld, startDispatcher, type TestWorld } from './support/world.js';

/**
 * A dispatcher after INBOX_SECRET_KEY rotated: its current key is new, the world's key (which
 * sealed the fixtures' secrets) is previous. Secrets sealed under a key it was not given cannot be
 * opened: such a delivery is retried a bounded number of times on the (short) schedule, then ends
 * `failed` with one `internal_error` attempt — nothing sent, nothing left queued.
 */
describe('a webhook secret the dispatcher cannot open (schedule 0,300ms,300ms)', () => {
  let world: TestWorld;
  let app: INestApplication;
  let receiver: Receiver;

  beforeAll(async () => {
    world = await createTestWorld('dispatch_unopenable', { INBOX_RETRY_SCHEDULE: '0,300ms,300ms' });
    receiver = await startReceiver(() => 200);
    app = await startDispatcher(world, {
      INBOX_SECRET_KEY: randomBytes(32).toString('base64'),
      INBOX_SECRET_KEYS_PREVIOUS: world.env.INBOX_SECRET_KEY!,
    });
  });

  afterAll(async () => {
    await app?.close();
    await receiver?.close();
    await world?.close();
  });

  it('delivers what a previous key sealed, and ends what no key opens with an internal_error attempt', async () => {
    const account = await world.fixtures.account();
    const readable = await world.fixtures.webhook(account, `${receiver.url}/readable`);
    const lost = await world.fixtures.webhook(account, `${receiver.url}/lost`);
    await world.fixtures.db.query(`UPDATE webhooks SET secret_sealed = $2 WHERE id = $1`, [lost.id, new SecretBox(randomBytes(32)).seal(lost.secret)]);
    const event = await world.fixtures.ingest(account, { type: 'message.read', data: { message_id: 'msg_1' } });
    const [readableDelivery, lostDelivery] = await Promise.all(
      [readable.id, lost.id].map(async (webhookId) => {
        const rows: Array<{ id: string }> = await world.fixtures.db.query(`SELECT id FROM deliveries WHERE webhook_id = $1`, [webhookId]);
        return rows[0]!.id;
      }),
    );
    const enqueuedAt = Date.now();
    await world.enqueue(event.deliveryIds);

    const ended = await waitFor('the unopenable delivery to end', async () => {
      const row = await world.fixtures.delivery(lostDelivery!);
      return row.status !== 'pending' && row;
    });
    expect(ended).toMatchObject({ status: 'failed', attempts: 1, next_attempt_at: null });
    const [attempt, ...more] = await world.fixtures.attempts(lostDelivery!);
    expect(more).toEqual([]);
    expect(attempt).toMatchObject({ attempt_number: 1, status_code: null, error: 'internal_error', succeeded: false, response_body: null });
    expect(attempt!.error_message).toMatch(/not sent/i);
    // After the retries, not at once: two waits of 300 ms came first (a lower bound only).
    expect(attempt!.requested_at.getTime() - enqueuedAt).toBeGreaterThanOrEqual(550);

    // The other webhook, sealed under the previous key, was delivered and signed with its secret.
    expect(await world.fixtures.delivery(readableDelivery!)).toMatchObject({ status: 'succeeded', attempts: 1 });
    const sent = receiver.requests.filter((r) => r.path === '/readable');
    expect(sent).toHaveLength(1);
    expect(verifyInboxSignature(sent[0]!.body, sent[0]!.headers['x-inbox-signature'], readable.secret)).toBe(true);
    expect(receiver.requests.filter((r) => r.path === '/lost')).toEqual([]);

    // Nothing left queued, and the reconciler (every 1 s, 2 s grace) brings nothing back.
    await waitFor('its job to be gone', async () => (await world.queue.getJobState(lostDelivery!)) === 'unknown');
    await sleep(3_500);
    expect(await world.queue.getJobState(lostDelivery!)).toBe('unknown');
    expect(await world.fixtures.delivery(lostDelivery!)).toMatchObject({ status: 'failed', attempts: 1 });
    expect(await world.fixtures.attempts(lostDelivery!)).toHaveLength(1);
  });
});
