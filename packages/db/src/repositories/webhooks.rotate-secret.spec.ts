import { scratchDatabase } from '../../test/support/scratch-database.js';
import { createDataSource } from '../data-source.js';
import { newId, type DeliveryId, type WebhookId } from '../ids.js';
import { migrate } from '../migrate.js';
import { DeliveriesRepository } from './deliveries.repository.js';
import { WebhooksRepository } from './webhooks.repository.js';

/**
 * Secret rotation in SQL: the replaced secret overlaps until its expiry (Postgres's clock), a second
 * rotation keeps only the secret it replaced, 0 drops it at once, and the dispatcher's load returns
 * the previous secret only while it is unexpired. Sealed values are plain strings here: sealing is
 * the SecretBox's job, not the repository's.
 */
describe('WebhooksRepository.rotateSecret and the dispatcher load (real Postgres)', () => {
  const db = scratchDatabase('rotate_secret');
  const dataSource = createDataSource(db.url, 2);
  const webhooks = new WebhooksRepository(dataSource);
  const deliveries = new DeliveriesRepository(dataSource);
  const accountId = newId('account');
  const otherAccountId = newId('account');

  /** A webhook with secret `first` and one pending delivery to it. */
  async function webhookWithDelivery(): Promise<{ id: WebhookId; deliveryId: DeliveryId }> {
    const result = await webhooks.create(
      accountId,
      {
        id: newId('webhook'),
        url: 'https://example.com',
        events: ['message.read'],
        description: null,
        rateLimit: null,
        secretSealed: 'first',
      },
      100,
    );
    if (!('created' in result)) throw new Error('webhook not created');
    const eventId = newId('event');
    const deliveryId = newId('delivery');
    await dataSource.query(
      `INSERT INTO events (id, account_id, type, created_at, body) VALUES ($1, $2, 'message.read', now(), '{}')`,
      [eventId, accountId],
    );
    await dataSource.query(`INSERT INTO deliveries (id, account_id, event_id, webhook_id) VALUES ($1, $2, $3, $4)`, [
      deliveryId,
      accountId,
      eventId,
      result.created.id,
    ]);
    return { id: result.created.id, deliveryId };
  }

  async function secretsSent(deliveryId: DeliveryId): Promise<{ current: string; previous: string | null }> {
    const [record] = await deliveries.loadForDispatch([deliveryId]);
    return { current: record!.secretSealed, previous: record!.previousSecretSealed };
  }

  beforeAll(async () => {
    await migrate(db.url, () => {});
    await dataSource.initialize();
    await dataSource.query(`INSERT INTO accounts (id, name) VALUES ($1, 'A'), ($2, 'B')`, [accountId, otherAccountId]);
  });

  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  it('keeps the replaced secret signing until it expires; a second rotation keeps only the one it replaced', async () => {
    const { id, deliveryId } = await webhookWithDelivery();
    const before = (await webhooks.find(accountId, id))!.updatedAt;

    const rotation = await webhooks.rotateSecret(accountId, id, 'second', 600);
    const expiresAt = rotation!.previousSecretExpiresAt!.getTime();
    expect(expiresAt).toBeGreaterThan(Date.now() + 590_000);
    expect(expiresAt).toBeLessThan(Date.now() + 610_000);
    expect(await secretsSent(deliveryId)).toEqual({ current: 'second', previous: 'first' });
    expect((await webhooks.find(accountId, id))!.updatedAt.getTime()).toBeGreaterThan(before.getTime());

    await webhooks.rotateSecret(accountId, id, 'third', 600);
    expect(await secretsSent(deliveryId)).toEqual({ current: 'third', previous: 'second' });

    // Past its expiry the previous secret is not sent, though the row still holds it.
    await dataSource.query(
      `UPDATE webhooks SET previous_secret_expires_at = now() - interval '1 second' WHERE id = $1`,
      [id],
    );
    expect(await secretsSent(deliveryId)).toEqual({ current: 'third', previous: null });
  });

  it('drops the replaced secret at once with an overlap of 0', async () => {
    const { id, deliveryId } = await webhookWithDelivery();
    await webhooks.rotateSecret(accountId, id, 'second', 600);
    expect(await webhooks.rotateSecret(accountId, id, 'third', 0)).toEqual({ previousSecretExpiresAt: null });
    expect(await secretsSent(deliveryId)).toEqual({ current: 'third', previous: null });
    const [row] = await dataSource.query(
      `SELECT previous_secret_sealed, previous_secret_expires_at FROM webhooks WHERE id = $1`,
      [id],
    );
    expect(row).toEqual({ previous_secret_sealed: null, previous_secret_expires_at: null });
  });

  it("rotates neither another account's webhook nor a deleted one", async () => {
    const { id, deliveryId } = await webhookWithDelivery();
    expect(await webhooks.rotateSecret(otherAccountId, id, 'stolen', 600)).toBeNull();
    await webhooks.softDelete(accountId, id);
    expect(await webhooks.rotateSecret(accountId, id, 'late', 600)).toBeNull();
    expect(await secretsSent(deliveryId)).toEqual({ current: 'first', previous: null });
  });
});
