import { scratchDatabase } from '../../test/support/scratch-database.js';
import { createDataSource } from '../data-source.js';
import { migrate } from '../migrate.js';
import type { DeliveryId } from '../ids.js';
import { DeliveriesRepository } from './deliveries.repository.js';

describe('DeliveriesRepository.failWithoutAttempt (real Postgres)', () => {
  const db = scratchDatabase('deliveries');
  const dataSource = createDataSource(db.url, 2);

  beforeAll(async () => {
    await migrate(db.url, () => {});
    await dataSource.initialize();
    await dataSource.query(`
      INSERT INTO accounts (id, name) VALUES ('acct_1', 'A');
      INSERT INTO webhooks (id, account_id, url, events, secret_sealed) VALUES ('wh_1', 'acct_1', 'https://example.com', '{message.read}', 'x');
      INSERT INTO events (id, account_id, type, created_at, body) VALUES ('evt_1', 'acct_1', 'message.read', now(), '{}');
      INSERT INTO deliveries (id, account_id, event_id, webhook_id, status) VALUES ('dlv_pending', 'acct_1', 'evt_1', 'wh_1', 'pending');`);
  });

  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  it('returns exactly the ids it ended, and nothing the second time', async () => {
    const repository = new DeliveriesRepository(dataSource);
    expect(await repository.failWithoutAttempt(['dlv_pending' as DeliveryId, 'dlv_unknown' as DeliveryId])).toEqual(['dlv_pending']);
    expect(await repository.failWithoutAttempt(['dlv_pending' as DeliveryId])).toEqual([]);
    const [row] = await dataSource.query(`SELECT status, next_attempt_at FROM deliveries WHERE id = 'dlv_pending'`);
    expect(row).toEqual({ status: 'failed', next_attempt_at: null });
  });

  it('oldestPendingSeconds: 0 with nothing due, then how long the most overdue pending delivery has waited', async () => {
    const repository = new DeliveriesRepository(dataSource);
    expect(await repository.oldestPendingSeconds()).toBe(0);
    await dataSource.query(`
      INSERT INTO events (id, account_id, type, created_at, body) VALUES ('evt_2', 'acct_1', 'message.read', now(), '{}'), ('evt_3', 'acct_1', 'message.read', now(), '{}');
      INSERT INTO deliveries (id, account_id, event_id, webhook_id, status, next_attempt_at) VALUES
        ('dlv_late', 'acct_1', 'evt_2', 'wh_1', 'pending', now() - interval '90 seconds'),
        ('dlv_later', 'acct_1', 'evt_3', 'wh_1', 'pending', now() + interval '1 hour');`);
    const seconds = await repository.oldestPendingSeconds();
    expect(seconds).toBeGreaterThanOrEqual(90);
    expect(seconds).toBeLessThan(120);
  });
});
