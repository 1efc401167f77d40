import type { INestApplication } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import { MESSAGE_EVENT_TYPES, exampleEvents, type EventType } from '@inbox/events';
import { verifyInboxSignature } from '@inbox/signing';
import { startReceiver, type Receiver } from '@inbox/testing';
import { startDocsReceiver } from './support/docs-receiver.js';
import { waitFor } from './support/wait.js';
import { createTestWorld, startDispatcher, type TestWorld } from './support/world.js';

describe('delivery to real local receivers (real Postgres and Redis)', () => {
  let world: TestWorld;
  let app: INestApplication;
  let receiver: Receiver;

  beforeAll(async () => {
    world = await createTestWorld('dispatch_delivery');
    app = await startDispatcher(world);
    receiver = await startReceiver();
  });

  afterAll(async () => {
    await app?.close();
    await receiver?.close();
    await world?.close();
  });

  const settled = (ids: readonly string[]) =>
    waitFor(`deliveries ${ids.join(', ')} to finish`, async () => {
      const rows = await Promise.all(ids.map((id) => world.fixtures.delivery(id)));
      return rows.every((r) => r.status !== 'pending') && rows;
    });

  it("is accepted by the docs' Express receiver and verifySignature, and by the standardwebhooks library", async () => {
    const account = await world.fixtures.account();
    const hook = await world.fixtures.webhook(account, 'http://placeholder.invalid');
    const docs = await startDocsReceiver(hook.secret);
    try {
      await world.fixtures.db.query(`UPDATE webhooks SET url = $1 WHERE id = $2`, [docs.url, hook.id]);
      const ingested = [];
      for (const type of MESSAGE_EVENT_TYPES) ingested.push(await world.fixtures.ingest(account, { ...structuredClone(exampleEvents[type]), id: undefined }));
      const deliveryIds = ingested.flatMap((e) => e.deliveryIds);
      await world.enqueue(deliveryIds);

      const rows = await settled(deliveryIds);
      expect(rows.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
      for (const id of deliveryIds) {
        const attempts = await world.fixtures.attempts(id);
        expect(attempts).toEqual([expect.objectContaining({ attempt_number: 1, status_code: 200, succeeded: true, response_body: 'OK', error: null })]);
      }
      // The docs' switch ran for every event: two handled types, two logged as unhandled.
      expect(docs.handled.map((h) => h.type).sort()).toEqual([...MESSAGE_EVENT_TYPES].sort());
      expect(docs.handled.find((h) => h.type === 'message.delivered')?.data).toEqual(exampleEvents['message.delivered'].data);

      // The same requests, byte for byte, pass the Standard Webhooks reference library.
      expect(docs.requests).toHaveLength(4);
      const standard = new Webhook(hook.secret);
      for (const request of docs.requests) {
        const verified = standard.verify(request.body, request.headers as Record<string, string>);
        expect(verified).toEqual(JSON.parse(request.body.toString('utf8')));
      }
    } finally {
      await docs.close();
    }
  });

  it('sends the same bytes and event id on every attempt, with the attempt number from Postgres', async () => {
    const account = await world.fixtures.account();
    const hook = await world.fixtures.webhook(account, `${receiver.url}/same-bytes`);
    receiver.enqueue(500);
    const event = await world.fixtures.ingest(account, { type: 'message.read', data: exampleEvents['message.read'].data });
    await world.enqueue(event.deliveryIds);

    const requests = await receiver.waitFor(2, { filter: (r) => r.path === '/same-bytes' });
    const [first, second] = requests;
    expect(first!.body.equals(second!.body)).toBe(true);
    expect(first!.body.toString('utf8')).toBe(event.body);
    for (const [index, request] of requests.entries()) {
      expect(request.method).toBe('POST');
      expect(request.headers).toMatchObject({
        'content-type': 'application/json',
        'x-inbox-event-id': event.eventId,
        'x-inbox-event-type': 'message.read',
        'x-inbox-delivery-attempt': String(index + 1),
        'webhook-id': event.eventId,
      });
      expect(request.headers['user-agent']).toMatch(/^Inbox-Webhooks\/\d+\.\d+/);
      expect(request.headers['x-inbox-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(verifyInboxSignature(request.body, request.headers['x-inbox-signature'], hook.secret)).toBe(true);
      expect(() => new Webhook(hook.secret).verify(request.body, request.headers as Record<string, string>)).not.toThrow();
    }
    const [row] = await settled(event.deliveryIds);
    expect(row).toMatchObject({ status: 'succeeded', attempts: 2, next_attempt_at: null });
  });

  it("delivers each docs example unchanged, only to webhooks subscribed to its type, never to another account's", async () => {
    const acme = await world.fixtures.account('Acme');
    const globex = await world.fixtures.account('Globex');
    const readsOnly = await world.fixtures.webhook(acme, `${receiver.url}/acme/reads`, { events: ['message.delivered', 'message.read'] });
    const everything = await world.fixtures.webhook(acme, `${receiver.url}/acme/all`);
    await world.fixtures.webhook(acme, `${receiver.url}/acme/disabled`, { status: 'disabled' });
    const other = await world.fixtures.webhook(globex, `${receiver.url}/globex/all`);
    expect([readsOnly.id, everything.id, other.id]).toHaveLength(3);

    const ingested = [];
    for (const type of MESSAGE_EVENT_TYPES) ingested.push(await world.fixtures.ingest(acme, structuredClone(exampleEvents[type])));
    const globexEvent = await world.fixtures.ingest(globex, { type: 'message.failed', data: exampleEvents['message.failed'].data });
    const deliveryIds = [...ingested, globexEvent].flatMap((e) => e.deliveryIds);
    expect(deliveryIds).toHaveLength(2 + 4 + 1);
    await world.enqueue(deliveryIds);
    await settled(deliveryIds);

    const typesAt = (path: string) =>
      receiver.requests.filter((r) => r.path === path).map((r) => (JSON.parse(r.body.toString('utf8')) as { type: EventType }).type).sort();
    expect(typesAt('/acme/reads')).toEqual(['message.delivered', 'message.read']);
    expect(typesAt('/acme/all')).toEqual([...MESSAGE_EVENT_TYPES].sort());
    expect(typesAt('/acme/disabled')).toEqual([]);
    expect(typesAt('/globex/all')).toEqual(['message.failed']);

    for (const request of receiver.requests.filter((r) => r.path.startsWith('/acme/'))) {
      const received = JSON.parse(request.body.toString('utf8')) as { type: EventType };
      // id, type, created_at and data exactly as the docs print them, and nothing else.
      expect(received).toEqual(exampleEvents[received.type]);
      expect(Object.keys(received)).toEqual(['id', 'type', 'created_at', 'data']);
    }
    const globexRequest = receiver.requests.find((r) => r.path === '/globex/all');
    expect(JSON.parse(globexRequest!.body.toString('utf8'))).toMatchObject({ id: globexEvent.eventId, data: exampleEvents['message.failed'].data });
  });
});
