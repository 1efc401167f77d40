import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { createDataSource } from '../data-source.js';
import { migrate } from '../migrate.js';
import { DeliveriesRepository } from './deliveries.repository.js';

const server = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const urlFor = (name: string) => Object.assign(new URL(server), { pathname: `/${name}` }).toString();

describe('DeliveriesRepository.failWithoutAttempt (real Postgres)', () => {
  const name = `inbox_test_deliveries_${process.pid}_${randomBytes(4).toString('hex')}`;
  const dataSource = createDataSource(urlFor(name), 2);

  beforeAll(async () => {
    await migrate(urlFor(name), () => {});
    await dataSource.initialize();
    await dataSource.query(`
      INSERT INTO accounts (id, name) VALUES ('acct_1', 'A');
      INSERT INTO webhooks (id, account_id, url, events, secret_sealed) VALUES ('wh_1', 'acct_1', 'https://example.com', '{message.read}', 'x');
      INSERT INTO events (id, account_id, type, created_at, body) VALUES ('evt_1', 'acct_1', 'message.read', now(), '{}');
      INSERT INTO deliveries (id, account_id, event_id, webhook_id, status) VALUES ('dlv_pending', 'acct_1', 'evt_1', 'wh_1', 'pending');`);
  });

  afterAll(async () => {
    await dataSource.destroy();
    const admin = new pg.Client({ connectionString: urlFor('postgres') });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  it('returns exactly the ids it ended, and nothing the second time', async () => {
    const repository = new DeliveriesRepository(dataSource);
    expect(await repository.failWithoutAttempt(['dlv_pending', 'dlv_unknown'])).toEqual(['dlv_pending']);
    expect(await repository.failWithoutAttempt(['dlv_pending'])).toEqual([]);
    const [row] = await dataSource.query(`SELECT status, next_attempt_at FROM deliveries WHERE id = 'dlv_pending'`);
    expect(row).toEqual({ status: 'failed', next_attempt_at: null });
  });
});
