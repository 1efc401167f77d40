import type { AccountId, DeliveryId, EventId, EventsRepository, WebhooksRepository } from '@inbox/db';
import { exampleEvents } from '@inbox/events';
import { ApiError } from '../common/api-error.js';
import { toErrorResponse } from '../common/error-response.js';
import type { EventPipeline, PipelineEvent, PipelineResult } from '../pipeline/event-pipeline.js';
import type { IngestEvent } from './ingest.dto.js';
import { IngestService } from './ingest.service.js';

const delivered = exampleEvents['message.delivered'];
// Test ids stand in for real ones: the service only compares and passes them on.
const event = (accountId: string, id?: string): IngestEvent => ({ account_id: accountId as AccountId, type: 'message.delivered', data: delivered.data, ...(id ? { id: id as EventId } : {}) });

interface StoredRow {
  id: string;
  accountId: string;
  deliveries: number;
}

/**
 * Stand-ins for the repositories and the pipeline over an in-memory event table: enough to check
 * what the micro-batcher asks for and what each request is answered.
 */
function setup(stored: StoredRow[] = []) {
  const table = new Map(stored.map((o) => [o.id, o]));
  const calls = { lookups: 0, submits: [] as string[][], owners: 0 };
  let failNext: Error | undefined;
  const webhooks = {
    async findDeliveryTargets(accountIds: readonly string[]) {
      calls.lookups++;
      const accounts = new Set(accountIds.filter((a) => a !== 'acct_unknown'));
      return { accounts, targets: [...accounts].map((accountId) => ({ accountId, webhookId: `wh_of_${accountId}`, events: ['message.delivered'], held: false })) };
    },
  };
  const events = {
    async findStored(accountId: string, ids: readonly string[]) {
      calls.owners++;
      return ids.flatMap((id) => {
        const row = table.get(id);
        if (!row) return [];
        return [row.accountId === accountId ? { id, ownedBy: 'account', deliveries: row.deliveries } : { id, ownedBy: 'another_account' }];
      });
    },
  };
  const pipeline = {
    async submit(input: readonly PipelineEvent[]): Promise<PipelineResult> {
      calls.submits.push(input.map((e) => e.envelope.id));
      if (failNext) {
        const error = failNext;
        failNext = undefined;
        throw error;
      }
      const result = new Map<EventId, DeliveryId[]>();
      for (const e of input) {
        if (table.has(e.envelope.id)) continue;
        const deliveries = e.webhookIds.map((w) => `dlv_${e.envelope.id}_${w}` as DeliveryId);
        table.set(e.envelope.id, { id: e.envelope.id, accountId: e.accountId, deliveries: deliveries.length });
        result.set(e.envelope.id, deliveries);
      }
      return { stored: result };
    },
  };
  const service = new IngestService(webhooks as unknown as WebhooksRepository, events as unknown as EventsRepository, pipeline as unknown as EventPipeline);
  return { service, calls, failOnce: (error = new Error('deadlock detected')) => void (failNext = error) };
}

const settle = <T>(p: Promise<T>): Promise<{ value?: T; error?: ApiError }> => p.then((value) => ({ value }), (error: unknown) => ({ error: error as ApiError }));

describe('IngestService.ingestOne (micro-batched)', () => {
  it('serves concurrent requests with one lookup and one store, each answered on its own', async () => {
    const { service, calls } = setup();
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => service.ingestOne(event(`acct_${i % 3}`, `evt_${i}`))));
    expect(answers).toEqual(Array.from({ length: 50 }, (_, i) => ({ id: `evt_${i}`, deliveries: 1 })));
    expect(calls.lookups).toBe(1);
    expect(calls.submits).toHaveLength(1);
    expect(calls.submits[0]).toHaveLength(50);
  });

  it('answers a repeat, an id of another account (409) and an unknown account (422) within one batch', async () => {
    const { service, calls } = setup([{ id: 'evt_old', accountId: 'acct_a', deliveries: 3 }]);
    const [fresh, repeat, stolen, unknown] = await Promise.all([
      settle(service.ingestOne(event('acct_a', 'evt_new'))),
      settle(service.ingestOne(event('acct_a', 'evt_old'))),
      settle(service.ingestOne(event('acct_b', 'evt_old'))),
      settle(service.ingestOne(event('acct_unknown', 'evt_lost'))),
    ]);
    expect(fresh).toEqual({ value: { id: 'evt_new', deliveries: 1 } });
    expect(repeat).toEqual({ value: { id: 'evt_old', deliveries: 3 } });
    expect(stolen.error).toMatchObject({ status: 409, code: 'event_id_conflict' });
    expect(unknown.error).toMatchObject({ status: 422, code: 'account_not_found', details: [{ path: 'account_id', message: 'no account acct_unknown' }] });
    expect(calls.submits).toEqual([['evt_new', 'evt_old']]);
  });

  it('stores the first of two requests with one id; the second is its repeat, or a 409 from another account', async () => {
    const { service, calls } = setup();
    const [first, again, other] = await Promise.all([
      settle(service.ingestOne(event('acct_a', 'evt_twice'))),
      settle(service.ingestOne(event('acct_a', 'evt_twice'))),
      settle(service.ingestOne(event('acct_b', 'evt_twice'))),
    ]);
    expect(first).toEqual({ value: { id: 'evt_twice', deliveries: 1 } });
    expect(again).toEqual(first);
    expect(other.error).toMatchObject({ status: 409, code: 'event_id_conflict' });
    // The id goes to the store once, for the first request's account.
    expect(calls.submits).toEqual([['evt_twice']]);
  });

  it('retries each event on its own when the shared store fails, so neighbours are not failed with it', async () => {
    const { service, calls, failOnce } = setup();
    failOnce();
    const answers = await Promise.all([service.ingestOne(event('acct_a', 'evt_1')), service.ingestOne(event('acct_a', 'evt_2'))]);
    expect(answers).toEqual([
      { id: 'evt_1', deliveries: 1 },
      { id: 'evt_2', deliveries: 1 },
    ]);
    expect(calls.submits).toEqual([['evt_1', 'evt_2'], ['evt_1'], ['evt_2']]);
  });

  it('fails every request of the batch at once when Postgres is unavailable, without trying each on its own', async () => {
    const { service, calls, failOnce } = setup();
    failOnce(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
    const answers = await Promise.all([settle(service.ingestOne(event('acct_a', 'evt_1'))), settle(service.ingestOne(event('acct_a', 'evt_2')))]);
    expect(answers.map((a) => a.error && toErrorResponse(a.error).status)).toEqual([503, 503]);
    expect(calls.submits).toEqual([['evt_1', 'evt_2']]);
  });

  it('fails a lone request whose store fails, answering nothing before a commit', async () => {
    const { service, failOnce } = setup();
    failOnce();
    await expect(service.ingestOne(event('acct_a', 'evt_1'))).rejects.toThrow('deadlock detected');
  });
});

