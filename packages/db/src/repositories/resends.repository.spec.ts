import { scratchDatabase } from '../../test/support/scratch-database.js';
import { createDataSource } from '../data-source.js';
import { migrate } from '../migrate.js';
import type { AccountId, DeliveryId, EventId, WebhookId } from '../ids.js';
import { ResendsRepository, type RecoverWindow } from './resends.repository.js';

const account = 'acct_1' as AccountId;
const other = 'acct_2' as AccountId;
const webhook = 'wh_1' as WebhookId;
const day = (n: number) => new Date(Date.UTC(2025, 0, n));

describe('ResendsRepository (real Postgres)', () => {
  const db = scratchDatabase('resends');
  const dataSource = createDataSource(db.url, 4);
  const repository = new ResendsRepository(dataSource);

  /** An event created on day `createdOn` with deliveries to wh_1 in these states, oldest first. */
  async function event(id: string, createdOn: number, statuses: string[]): Promise<void> {
    await dataSource.query(
      `INSERT INTO events (id, account_id, type, created_at, body) VALUES ($1, 'acct_1', 'message.read', $2, '{}')`,
      [id, day(createdOn)],
    );
    for (const [i, status] of statuses.entries()) {
      await dataSource.query(
        `INSERT INTO deliveries (id, account_id, event_id, webhook_id, status) VALUES ($1, 'acct_1', $2, 'wh_1', $3)`,
        [`dlv_${id}_${i}`, id, status],
      );
    }
  }

  const pendingOf = async (eventId: string): Promise<Array<{ id: string; resend_of: string }>> =>
    dataSource.query(`SELECT id, resend_of FROM deliveries WHERE event_id = $1 AND status = 'pending'`, [eventId]);

  beforeAll(async () => {
    await migrate(db.url, () => {});
    await dataSource.initialize();
    await dataSource.query(`
      INSERT INTO accounts (id, name) VALUES ('acct_1', 'A'), ('acct_2', 'B');
      INSERT INTO webhooks (id, account_id, url, events, secret_sealed) VALUES ('wh_1', 'acct_1', 'https://example.com', '{message.read}', 'x');`);
    await event('evt_a_failed', 2, ['failed']);
    await event('evt_b_failed_twice', 3, ['failed', 'failed']);
    await event('evt_c_succeeded', 3, ['succeeded']);
    await event('evt_d_pending', 4, ['failed', 'pending']);
    await event('evt_e_failed_then_succeeded', 4, ['failed', 'succeeded']);
    await event('evt_f_succeeded_then_failed', 5, ['succeeded', 'failed']);
    await event('evt_g_outside', 10, ['failed']);
    await event('evt_h_never_sent', 3, []);
  });

  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  it('recovers, in batches, each event in the window whose latest outcome is a failure, once, repeating its latest failed delivery', async () => {
    const window: RecoverWindow = { since: day(2), until: day(10) };
    const created: DeliveryId[] = [];
    const starts: Array<EventId | null> = [];
    let after: EventId | null = null;
    do {
      starts.push(after);
      const batch = await repository.recoverBatch(account, webhook, window, after, 2);
      created.push(...batch.created);
      after = batch.next;
    } while (after);
    expect(starts).toEqual([null, 'evt_b_failed_twice']);
    expect(created).toHaveLength(3);
    const rows: Array<{ event_id: string; resend_of: string; attempts: number }> = await dataSource.query(
      `SELECT event_id, resend_of, attempts FROM deliveries WHERE id = ANY($1) ORDER BY event_id`,
      [created],
    );
    expect(rows).toEqual([
      { event_id: 'evt_a_failed', resend_of: 'dlv_evt_a_failed_0', attempts: 0 },
      { event_id: 'evt_b_failed_twice', resend_of: 'dlv_evt_b_failed_twice_1', attempts: 0 },
      { event_id: 'evt_f_succeeded_then_failed', resend_of: 'dlv_evt_f_succeeded_then_failed_1', attempts: 0 },
    ]);

    // Again: each of them is pending now, so nothing is queued twice.
    expect(await repository.recoverBatch(account, webhook, window, null, 100)).toEqual({ created: [], next: null });
    // Another account sees nothing of this webhook's deliveries.
    expect(await repository.recoverBatch(other, webhook, { since: day(1), until: day(30) }, null, 100)).toEqual({
      created: [],
      next: null,
    });
  });

  it('resends the latest delivery of a pair; not when one is pending, never sent, or another account asks', async () => {
    const created = await repository.resend(account, webhook, 'evt_c_succeeded' as EventId);
    expect(created).toEqual({ created: expect.stringMatching(/^dlv_/) });
    expect(await pendingOf('evt_c_succeeded')).toEqual([
      { id: (created as { created: string }).created, resend_of: 'dlv_evt_c_succeeded_0' },
    ]);
    expect(await repository.resend(account, webhook, 'evt_c_succeeded' as EventId)).toEqual({ stillPending: true });
    expect(await repository.resend(account, webhook, 'evt_h_never_sent' as EventId)).toEqual({ neverSent: true });
    expect(await repository.resend(other, webhook, 'evt_g_outside' as EventId)).toEqual({ neverSent: true });
  });

  it('makes one pending delivery of a pair when resends race', async () => {
    const results = await Promise.all(
      Array.from({ length: 4 }, () => repository.resend(account, webhook, 'evt_g_outside' as EventId)),
    );
    expect(results.filter((r) => 'created' in r)).toHaveLength(1);
    expect(results.filter((r) => 'stillPending' in r)).toHaveLength(3);
    expect(await pendingOf('evt_g_outside')).toHaveLength(1);
  });
});
