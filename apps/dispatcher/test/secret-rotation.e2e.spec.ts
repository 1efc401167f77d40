import type { INestApplication } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import { SecretBox, WebhooksRepository, type AccountId, type WebhookId } from '@inbox/db';
import { exampleEvents } from '@inbox/events';
import { generateSecret, verifyInboxSignature, verifyStandardWebhook } from '@inbox/signing';
import { startReceiver, type ReceivedRequest, type Receiver } from '@inbox/testing';
import { startDocsReceiver } from './support/docs-receiver.js';
import { sleep, waitFor } from './support/wait.js';
import { createTestWorld, startDispatcher, type TestWorld } from './support/world.js';

/**
 * A rotated secret on the wire: while the replaced secret overlaps, every delivery carries both
 * signatures (`webhook-signature` with two entries, the new first; `X-Inbox-Signature` with the new
 * secret; `X-Inbox-Signature-Previous` with the old); past its expiry, or with an overlap of 0, only
 * the new secret signs. Rotations go through the repository the API uses.
 */
describe('deliveries while a webhook secret rotates (real Postgres, Redis and receivers)', () => {
  let world: TestWorld;
  let app: INestApplication;
  let receiver: Receiver;
  let webhooks: WebhooksRepository;
  let box: SecretBox;

  beforeAll(async () => {
    world = await createTestWorld('dispatch_secret_rotation');
    app = await startDispatcher(world);
    receiver = await startReceiver();
    webhooks = new WebhooksRepository(world.fixtures.db);
    box = new SecretBox(world.config.secretKey);
  });

  afterAll(async () => {
    await app?.close();
    await receiver?.close();
    await world?.close();
  });

  /** What `POST /v1/webhooks/{id}/secret/rotate` does; returns the new secret and the old one's expiry. */
  async function rotate(
    accountId: AccountId,
    webhookId: string,
    overlapSeconds: number,
  ): Promise<{ secret: string; expiresAt: Date | null }> {
    const secret = generateSecret();
    const rotation = await webhooks.rotateSecret(accountId, webhookId as WebhookId, box.seal(secret), overlapSeconds);
    if (!rotation) throw new Error(`webhook ${webhookId} not rotated`);
    return { secret, expiresAt: rotation.previousSecretExpiresAt };
  }

  /** Ingests one event for the account, has it delivered, and returns its delivery as the receiver got it. */
  async function deliverOne(accountId: AccountId, path: string): Promise<ReceivedRequest> {
    const event = await world.fixtures.ingest(accountId, {
      type: 'message.read',
      data: exampleEvents['message.read'].data,
    });
    await world.enqueue(event.deliveryIds);
    const [request] = await receiver.waitFor(1, {
      filter: (r) => r.path === path && r.headers['webhook-id'] === event.eventId,
    });
    return request!;
  }

  const standardVerifies = (request: { body: Buffer; headers: ReceivedRequest['headers'] }, secret: string) => {
    try {
      new Webhook(secret).verify(request.body, request.headers as Record<string, string>);
      verifyStandardWebhook(request.body, request.headers, secret);
      return true;
    } catch {
      return false;
    }
  };

  it("during the overlap: the docs' verifySignature takes X-Inbox-Signature with the new secret and -Previous with the old; Standard Webhooks either", async () => {
    const account = await world.fixtures.account();
    const hook = await world.fixtures.webhook(account, 'http://placeholder.invalid', { events: ['message.read'] });
    const rotated = await rotate(account, hook.id, 600);

    // The docs' receiver, verbatim, configured with the NEW secret, takes the delivery.
    const docs = await startDocsReceiver(rotated.secret);
    let delivered: { headers: ReceivedRequest['headers']; body: Buffer };
    try {
      await world.fixtures.db.query(`UPDATE webhooks SET url = $1 WHERE id = $2`, [docs.url, hook.id]);
      const event = await world.fixtures.ingest(account, {
        type: 'message.read',
        data: exampleEvents['message.read'].data,
      });
      await world.enqueue(event.deliveryIds);
      const row = await waitFor('the delivery to finish', async () => {
        const r = await world.fixtures.delivery(event.deliveryIds[0]!);
        return r.status !== 'pending' && r;
      });
      expect(row.status).toBe('succeeded');
      expect(docs.handled.map((h) => h.type)).toEqual(['message.read']);
      expect(docs.requests).toHaveLength(1);
      delivered = docs.requests[0]!;
    } finally {
      await docs.close();
    }

    const signatures = String(delivered.headers['webhook-signature']).split(' ');
    expect(signatures).toEqual([expect.stringMatching(/^v1,/), expect.stringMatching(/^v1,/)]);
    expect(delivered.headers['x-inbox-signature-previous']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(standardVerifies(delivered, rotated.secret)).toBe(true);
    expect(standardVerifies(delivered, hook.secret)).toBe(true);
    expect(standardVerifies(delivered, generateSecret())).toBe(false);
    // The new secret's signature comes first.
    expect(
      standardVerifies(
        { ...delivered, headers: { ...delivered.headers, 'webhook-signature': signatures[0] } },
        rotated.secret,
      ),
    ).toBe(true);

    // The docs' receiver of someone still on the OLD secret, handed X-Inbox-Signature-Previous as its
    // X-Inbox-Signature, accepts the same bytes; handed X-Inbox-Signature itself, refuses them.
    const oldDocs = await startDocsReceiver(hook.secret);
    try {
      const post = (signature: unknown) =>
        fetch(oldDocs.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-inbox-signature': String(signature) },
          body: delivered.body,
        });
      expect((await post(delivered.headers['x-inbox-signature-previous'])).status).toBe(200);
      expect((await post(delivered.headers['x-inbox-signature'])).status).toBe(401);
    } finally {
      await oldDocs.close();
    }
  });

  it('after the overlap expires only the new secret signs, though the secret was cached with both', async () => {
    const account = await world.fixtures.account();
    const hook = await world.fixtures.webhook(account, `${receiver.url}/expiring`, { events: ['message.read'] });
    // Short, yet long enough for one delivery on a busy machine.
    const rotated = await rotate(account, hook.id, 3);

    const during = await deliverOne(account, '/expiring');
    expect(verifyInboxSignature(during.body, during.headers['x-inbox-signature-previous'], hook.secret)).toBe(true);

    await sleep(Math.max(0, rotated.expiresAt!.getTime() - Date.now()) + 100);
    const after = await deliverOne(account, '/expiring');
    expect(after.headers).not.toHaveProperty('x-inbox-signature-previous');
    expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(verifyInboxSignature(after.body, after.headers['x-inbox-signature'], rotated.secret)).toBe(true);
    expect(standardVerifies(after, rotated.secret)).toBe(true);
    expect(standardVerifies(after, hook.secret)).toBe(false);
  });

  it('with an overlap of 0 the old secret stops at once, though the dispatcher had it cached', async () => {
    const account = await world.fixtures.account();
    const hook = await world.fixtures.webhook(account, `${receiver.url}/at-once`, { events: ['message.read'] });
    const before = await deliverOne(account, '/at-once');
    expect(standardVerifies(before, hook.secret)).toBe(true);

    const rotated = await rotate(account, hook.id, 0);
    expect(rotated.expiresAt).toBeNull();
    const after = await deliverOne(account, '/at-once');
    expect(after.headers).not.toHaveProperty('x-inbox-signature-previous');
    expect(verifyInboxSignature(after.body, after.headers['x-inbox-signature'], rotated.secret)).toBe(true);
    expect(verifyInboxSignature(after.body, after.headers['x-inbox-signature'], hook.secret)).toBe(false);
    expect(standardVerifies(after, rotated.secret)).toBe(true);
    expect(standardVerifies(after, hook.secret)).toBe(false);
  });
});
