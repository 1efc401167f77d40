import type { INestApplication } from '@nestjs/common';
import { Redis } from 'ioredis';
import { newId } from '@inbox/db';
import { exampleEvents } from '@inbox/events';
import { verifyInboxSignature } from '@inbox/signing';
import { LISTEN_REQUEST_ID, listenReplyChannel, listenSessionChannel, type ListenReply, type ListenRequest } from '@inbox/server';
import { waitFor } from './support/wait.js';
import { createTestWorld, startDispatcher, type TestWorld } from './support/world.js';

// The dispatcher's side of `inbox listen`: a delivery to a session is published on its channel
// and the reply (as the API relays the CLI's report) becomes the attempt. This file plays the API.
describe('delivery to inbox listen sessions (real Postgres and Redis)', () => {
  let world: TestWorld;
  let app: INestApplication;
  let subscriber: Redis;
  const requests: ListenRequest[] = [];
  let answer: (request: ListenRequest) => Omit<ListenReply, 'request_id' | 'session_id'> | undefined = () => undefined;

  beforeAll(async () => {
    world = await createTestWorld('dispatch_listen');
    app = await startDispatcher(world);
    subscriber = new Redis(world.env.REDIS_URL!, { maxRetriesPerRequest: null });
    subscriber.on('message', (_channel: string, message: string) => {
      const request = JSON.parse(message) as ListenRequest;
      requests.push(request);
      const reply = answer(request);
      if (!reply) return;
      const instance = LISTEN_REQUEST_ID.exec(request.request_id)![1]!;
      void world.redis.publish(listenReplyChannel(world.config, instance), JSON.stringify({ request_id: request.request_id, session_id: request.session_id, ...reply }));
    });
  });

  afterAll(async () => {
    subscriber?.disconnect();
    await app?.close();
    await world?.close();
  });

  async function session(): Promise<{ accountId: string; id: string; secret: string }> {
    const accountId = await world.fixtures.account();
    const { id, secret } = await world.fixtures.webhook(accountId, 'listen://placeholder');
    await world.fixtures.db.query(`UPDATE webhooks SET kind = 'listen', url = 'listen://' || id WHERE id = $1`, [id]);
    return { accountId, id, secret };
  }

  const ingest = async (accountId: string) => {
    const event = await world.fixtures.ingest(accountId, { ...structuredClone(exampleEvents['message.read']), id: undefined });
    await world.enqueue(event.deliveryIds);
    return event;
  };

  const settled = (id: string) =>
    waitFor(`delivery ${id} to finish`, async () => {
      const row = await world.fixtures.delivery(id);
      return row.status !== 'pending' && row;
    });

  it('publishes the signed request to the session and records its reply as the attempt, retrying a 500', async () => {
    const s = await session();
    await subscriber.subscribe(listenSessionChannel(world.config, s.id));
    let calls = 0;
    answer = () => (calls++ === 0 ? { status_code: 500, error: null, error_message: null, duration_ms: 7, body: 'boom' } : { status_code: 200, error: null, error_message: null, duration_ms: 3, body: 'ok' });
    const event = await ingest(s.accountId);
    const delivery = await settled(event.deliveryIds[0]!);
    expect(delivery).toMatchObject({ status: 'succeeded', attempts: 2 });
    const attempts = await world.fixtures.attempts(event.deliveryIds[0]!);
    expect(attempts.map((a) => [a.status_code, a.response_body, a.succeeded])).toEqual([
      [500, 'boom', false],
      [200, 'ok', true],
    ]);
    const sent = requests.filter((r) => r.event_id === event.eventId);
    expect(sent.map((r) => r.attempt)).toEqual([1, 2]);
    for (const r of sent) {
      expect(r).toMatchObject({ session_id: s.id, event_type: 'message.read', body: event.body, timeout_ms: world.config.deliveryTimeoutMs });
      expect(r.headers['x-inbox-delivery-attempt'] ?? r.headers['X-Inbox-Delivery-Attempt']).toBe(String(r.attempt));
      const signature = Object.entries(r.headers).find(([k]) => k.toLowerCase() === 'x-inbox-signature')![1];
      expect(verifyInboxSignature(Buffer.from(r.body), signature, s.secret)).toBe(true);
    }
    await subscriber.unsubscribe(listenSessionChannel(world.config, s.id));
  });

  it('a session nobody holds is connection_refused at once; no reply in time is a timeout', async () => {
    const s = await session();
    const refused = await ingest(s.accountId);
    await waitFor('a refused attempt', async () => (await world.fixtures.attempts(refused.deliveryIds[0]!))[0]);
    expect((await world.fixtures.attempts(refused.deliveryIds[0]!))[0]).toMatchObject({ error: 'connection_refused', status_code: null });

    const quiet = await session();
    await subscriber.subscribe(listenSessionChannel(world.config, quiet.id));
    answer = () => undefined;
    const unanswered = await ingest(quiet.accountId);
    const [attempt] = await waitFor('a timed-out attempt', async () => (await world.fixtures.attempts(unanswered.deliveryIds[0]!))[0] && world.fixtures.attempts(unanswered.deliveryIds[0]!), { timeoutMs: 10_000 });
    expect(attempt).toMatchObject({ error: 'timeout', status_code: null });
    await subscriber.unsubscribe(listenSessionChannel(world.config, quiet.id));
  });

  it("a deleted session's pending delivery ends failed without an attempt", async () => {
    const s = await session();
    await world.fixtures.db.query(`UPDATE webhooks SET deleted_at = now() WHERE id = $1`, [s.id]);
    const event = await world.fixtures.ingest(s.accountId, { ...structuredClone(exampleEvents['message.read']), id: undefined });
    // Ingest of a deleted session makes no delivery; one made just before the session ended:
    const id = newId('delivery');
    await world.fixtures.db.query(`INSERT INTO deliveries (id, account_id, event_id, webhook_id, next_attempt_at) VALUES ($1, $2, $3, $4, now())`, [
      id,
      s.accountId,
      event.eventId,
      s.id,
    ]);
    await world.enqueue([id]);
    expect(await settled(id)).toMatchObject({ status: 'failed', attempts: 0 });
    expect(await world.fixtures.attempts(id)).toEqual([]);
  });
});
