import { scratchDatabase } from '../../test/support/scratch-database.js';
import { createDataSource } from '../data-source.js';
import { newId, type AccountId, type DeliveryId, type WebhookId } from '../ids.js';
import { migrate } from '../migrate.js';
import { AttemptsRepository, type AttemptOutcome } from './attempts.repository.js';
import { WebhooksRepository } from './webhooks.repository.js';

const account = 'acct_auto' as AccountId;
const at = (seconds: number) => new Date(Date.UTC(2025, 0, 15, 10, 0, seconds));
const HOUR = 3_600_000;

/** Failure streaks, auto-disable and re-enable, on the real statements (real Postgres). */
describe('auto-disable: AttemptsRepository.recordOutcomes and WebhooksRepository (real Postgres)', () => {
  const db = scratchDatabase('auto_disable');
  const dataSource = createDataSource(db.url, 2);
  const attempts = new AttemptsRepository(dataSource);
  const webhooks = new WebhooksRepository(dataSource);

  beforeAll(async () => {
    await migrate(db.url, () => {});
    await dataSource.initialize();
    await dataSource.query(`INSERT INTO accounts (id, name) VALUES ($1, 'Acme')`, [account]);
  });

  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  async function webhook(status: 'enabled' | 'disabled' = 'enabled'): Promise<WebhookId> {
    const id = newId('webhook');
    await dataSource.query(`INSERT INTO webhooks (id, account_id, url, events, status, secret_sealed) VALUES ($1, $2, $3, '{message.read}', $4, 'x')`, [
      id,
      account,
      `https://example.com/${id}`,
      status,
    ]);
    return id;
  }

  /** A pending delivery to the webhook, of a fresh event. */
  async function delivery(webhookId: WebhookId): Promise<DeliveryId> {
    const eventId = newId('event');
    const id = newId('delivery');
    await dataSource.query(`INSERT INTO events (id, account_id, type, created_at, body) VALUES ($1, $2, 'message.read', now(), '{}')`, [eventId, account]);
    await dataSource.query(`INSERT INTO deliveries (id, account_id, event_id, webhook_id) VALUES ($1, $2, $3, $4)`, [id, account, eventId, webhookId]);
    return id;
  }

  /** One attempt at a fresh delivery to the webhook, made at `requestedAt`. */
  async function tried(webhookId: WebhookId, requestedAt: Date, answer: { status?: number | null; error?: AttemptOutcome['error'] }): Promise<AttemptOutcome> {
    const status = answer.status === undefined ? null : answer.status;
    const succeeded = status !== null && status >= 200 && status < 300;
    return {
      accountId: account,
      attemptId: newId('attempt'),
      deliveryId: await delivery(webhookId),
      eventType: 'message.read',
      expectedAttempts: 0,
      requestedAt,
      durationMs: 5,
      statusCode: status,
      error: answer.error ?? null,
      errorMessage: null,
      responseBody: null,
      succeeded,
      deliveryStatus: succeeded ? 'succeeded' : 'pending',
      nextAttemptAt: succeeded ? null : new Date(requestedAt.getTime() + 1000),
    };
  }

  const record = (outcomes: AttemptOutcome[], autoDisableAfterMs = HOUR) => attempts.recordOutcomes(outcomes, { autoDisableAfterMs });

  async function state(id: WebhookId) {
    const [row] = await dataSource.query(
      `SELECT status, failing_since, disabled_reason, disabled_at, disabled_notice_pending, updated_at, xmin::text AS xmin
         FROM webhooks WHERE id = $1`,
      [id],
    );
    return row as {
      status: string;
      failing_since: Date | null;
      disabled_reason: string | null;
      disabled_at: Date | null;
      disabled_notice_pending: boolean;
      updated_at: Date;
      /** Changes with every new version of the row. */
      xmin: string;
    };
  }

  it('neither writes nor waits for the webhook row for successes to a healthy webhook', async () => {
    const id = await webhook();
    const outcomes = [await tried(id, at(0), { status: 200 }), await tried(id, at(1), { status: 204 })];
    const before = await state(id);
    // Another transaction holds the row: recording must not need it.
    const holder = dataSource.createQueryRunner();
    await holder.startTransaction();
    await holder.query(`SELECT 1 FROM webhooks WHERE id = $1 FOR UPDATE`, [id]);
    let timer: NodeJS.Timeout | undefined;
    try {
      const waited = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('waited for the webhook row')), 3_000)));
      const result = await Promise.race([record(outcomes), waited]);
      expect(result.recorded.size).toBe(2);
      expect(result.disabled).toEqual([]);
    } finally {
      clearTimeout(timer);
      await holder.rollbackTransaction();
      await holder.release();
    }
    expect(await state(id)).toEqual(before);
  });

  it('starts the streak at the first failure, keeps it through more failures, and ends it at a success', async () => {
    const id = await webhook();
    await record([await tried(id, at(10), { status: 500 })]);
    expect((await state(id)).failing_since).toEqual(at(10));

    const quiet = await state(id);
    await record([await tried(id, at(20), { error: 'timeout' }), await tried(id, at(30), { status: 503 })]);
    expect(await state(id)).toEqual(quiet); // the streak start stays: no write at all

    await record([await tried(id, at(40), { status: 200 })]);
    expect(await state(id)).toMatchObject({ status: 'enabled', failing_since: null, disabled_reason: null });
  });

  it('in one batch, counts the streak from the first failure after the last success', async () => {
    const id = await webhook();
    await record([await tried(id, at(5), { status: 500 })]);
    const result = await record([
      await tried(id, at(6), { status: 500 }),
      await tried(id, at(7), { status: 200 }),
      await tried(id, at(9), { status: 502 }),
      await tried(id, at(8), { status: 500 }),
    ]);
    expect(result.disabled).toEqual([]);
    expect((await state(id)).failing_since).toEqual(at(8));
  });

  it('ignores attempts that sent nothing (internal_error, webhook_disabled)', async () => {
    const id = await webhook();
    await record([await tried(id, at(0), { error: 'internal_error' }), await tried(id, at(1), { error: 'webhook_disabled' })]);
    expect((await state(id)).failing_since).toBeNull();
  });

  it('disables a webhook whose attempts all failed for autoDisableAfterMs, once, with a pending notice', async () => {
    const id = await webhook();
    const other = await webhook();
    await record([await tried(id, at(0), { status: 500 }), await tried(other, at(0), { status: 500 })], 60_000);
    const almost = await record([await tried(id, at(59), { status: 500 })], 60_000);
    expect(almost.disabled).toEqual([]);
    expect((await state(id)).status).toBe('enabled');

    const before = Date.now();
    const result = await record([await tried(id, at(60), { status: 500 }), await tried(other, at(30), { status: 500 })], 60_000);
    expect(result.disabled).toEqual([{ webhookId: id, accountId: account, url: `https://example.com/${id}`, reason: 'failing', disabledAt: expect.any(Date) }]);
    const disabledAt = result.disabled[0]!.disabledAt;
    expect(disabledAt.getTime()).toBeGreaterThanOrEqual(before - 5_000);
    expect(await state(id)).toMatchObject({ status: 'disabled', disabled_reason: 'failing', disabled_at: disabledAt, failing_since: at(0), disabled_notice_pending: true });
    expect((await state(id)).updated_at.getTime()).toBeGreaterThanOrEqual(disabledAt.getTime());
    expect((await state(other)).status).toBe('enabled');

    // Attempts still in flight when it was disabled are recorded, and disable nothing again.
    const late = await record([await tried(id, at(61), { status: 410 })], 60_000);
    expect(late.recorded.size).toBe(1);
    expect(late.disabled).toEqual([]);
    expect(await state(id)).toMatchObject({ disabled_reason: 'failing', disabled_at: disabledAt });
  });

  it('disables at once on a 410 Gone, even with the time rule off (0)', async () => {
    const id = await webhook();
    const result = await record([await tried(id, at(0), { status: 410 })], 0);
    expect(result.disabled).toEqual([expect.objectContaining({ webhookId: id, reason: 'gone' })]);
    expect(await state(id)).toMatchObject({ status: 'disabled', disabled_reason: 'gone', failing_since: at(0), disabled_notice_pending: true });
  });

  it('with 0, never disables by time', async () => {
    const id = await webhook();
    await record([await tried(id, at(0), { status: 500 })], 0);
    const result = await record([await tried(id, new Date(at(0).getTime() + 365 * 24 * HOUR), { status: 500 })], 0);
    expect(result.disabled).toEqual([]);
    expect(await state(id)).toMatchObject({ status: 'enabled', failing_since: at(0) });
  });

  it('lists platform disables whose notice is pending, and marks them announced', async () => {
    const id = await webhook();
    const { disabled } = await record([await tried(id, at(0), { status: 410 })]);
    const later = new Date(Date.now() + 60_000);
    expect(await webhooks.listUnannouncedDisables(later, 100)).toContainEqual(disabled[0]);
    expect(await webhooks.listUnannouncedDisables(new Date(Date.now() - 60_000), 100)).not.toContainEqual(disabled[0]);
    await webhooks.markDisablesAnnounced(disabled);
    expect(await webhooks.listUnannouncedDisables(later, 100)).not.toContainEqual(disabled[0]);
    expect(await state(id)).toMatchObject({ status: 'disabled', disabled_reason: 'gone', disabled_notice_pending: false });
  });

  it('update: disabling records manual; enabling clears the reason and restarts the streak', async () => {
    const id = await webhook();
    const changes = { url: 'https://example.com/x', events: ['message.read'], description: null };
    await record([await tried(id, at(0), { status: 410 })]);
    // Disabling what the platform disabled keeps its reason; leaving status out changes nothing.
    expect(await webhooks.update(account, id, { ...changes, status: 'disabled' })).toMatchObject({ status: 'disabled', disabledReason: 'gone' });
    expect(await webhooks.update(account, id, changes)).toMatchObject({ status: 'disabled', disabledReason: 'gone' });

    const enabled = await webhooks.update(account, id, { ...changes, status: 'enabled' });
    expect(enabled).toMatchObject({ status: 'enabled', disabledReason: null, disabledAt: null });
    expect(await state(id)).toMatchObject({ failing_since: null, disabled_notice_pending: false });
    // The streak starts afresh: an hour-old failure before the re-enable does not count.
    await record([await tried(id, at(10), { status: 500 })]);
    expect((await state(id)).failing_since).toEqual(at(10));

    const manual = await webhooks.update(account, id, { ...changes, status: 'disabled' });
    expect(manual).toMatchObject({ status: 'disabled', disabledReason: 'manual', disabledAt: expect.any(Date) });
    expect((await state(id)).disabled_notice_pending).toBe(false);
  });

  it('refuses an enabled webhook with a disabled reason (schema check)', async () => {
    const id = await webhook();
    await expect(dataSource.query(`UPDATE webhooks SET disabled_reason = 'gone' WHERE id = $1`, [id])).rejects.toThrow(/webhooks_enabled_not_disabled_check/);
  });
});
