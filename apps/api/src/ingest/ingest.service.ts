import { Injectable } from '@nestjs/common';
import { EventsRepository, isDatabaseUnavailable, newId, WebhooksRepository, type AccountId, type DeliveryTarget, type EventId, type StoredEvent, type WebhookId } from '@inbox/db';
import { microBatcher, nowTimestamp, traceContext, type MicroBatcher, type TraceContext } from '@inbox/server';
import { ConflictError, ValidationError, type ErrorDetail } from '../common/api-error.js';
import { EventPipeline, type PipelineEvent } from '../pipeline/event-pipeline.js';
import type { IngestAccepted, IngestBatchResult, IngestEvent } from './ingest.dto.js';

type ItemResult = IngestBatchResult['results'][number];

/**
 * Internal event ingest: validated events are stored with one delivery per enabled, live webhook
 * of the account subscribed to the type, then enqueued (EventPipeline). Idempotent on event id.
 */
@Injectable()
export class IngestService {
  /**
   * Single-event ingests of concurrent requests, micro-batched (`microBatcher`) so they share one
   * targets lookup, one store transaction and one enqueue: per event that is most of the database
   * and Redis work of a request. Each request still gets its own answer, and only after
   * the shared transaction committed.
   */
  private readonly singles: MicroBatcher<IngestEvent, IngestAccepted>;
  /** The trace context of each single-event request, taken when it joins a micro-batch. */
  private readonly requestTraces = new WeakMap<IngestEvent, TraceContext>();

  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly events: EventsRepository,
    private readonly pipeline: EventPipeline,
  ) {
    this.singles = microBatcher((events) => this.ingestSingles(events));
  }

  /** One event: 202 `{id, deliveries}`, the same for a repeat; 409 if the id is another account's. */
  ingestOne(event: IngestEvent): Promise<IngestAccepted> {
    // The batch runs outside this request's trace context: its events keep it (see EventPipeline).
    this.requestTraces.set(event, traceContext.active());
    return this.singles.load(event);
  }

  /**
   * Up to 500 events in one transaction. Every item is checked first (schema, known accounts, no id
   * twice in the batch): any problem is a 422 naming each item, and nothing is stored. Otherwise each
   * item is `accepted`, `duplicate` (stored before, for the same account) or `rejected` (its id
   * belongs to another account).
   */
  async ingestBatch(events: IngestEvent[]): Promise<IngestBatchResult> {
    const seen = new Map<string, number>();
    const problems: ErrorDetail[] = [];
    events.forEach((event, index) => {
      if (event.id === undefined) return;
      const first = seen.get(event.id);
      if (first !== undefined) problems.push({ path: `events.${index}.id`, message: `id ${event.id} is also the id of events.${first}` });
      else seen.set(event.id, index);
    });
    if (problems.length > 0) throw new ValidationError(problems);

    const { accounts: known, targets } = await this.webhooks.findDeliveryTargets(distinctAccounts(events));
    const unknown: ErrorDetail[] = [];
    events.forEach((e, index) => {
      if (!known.has(e.account_id)) unknown.push({ path: `events.${index}.account_id`, message: `no account ${e.account_id}` });
    });
    if (unknown.length > 0) throw new ValidationError(unknown, 'account_not_found', 'Unknown account_id');
    return { results: await this.store(events, targets) };
  }

  /**
   * The events of concurrent single-event requests, each answered on its own: its result, or the
   * error its request alone would have got (422 unknown account, 409 id of another account).
   */
  private async ingestSingles(events: readonly IngestEvent[]): Promise<Array<IngestAccepted | Error>> {
    const { accounts: known, targets } = await this.webhooks.findDeliveryTargets(distinctAccounts(events));
    const storable = events.filter((e) => known.has(e.account_id));
    const stored = await this.storeIsolated(storable, targets);
    const results = new Map(storable.map((e, i) => [e, stored[i]!]));
    return events.map((e) => {
      const result = results.get(e);
      if (!result) return new ValidationError([{ path: 'account_id', message: `no account ${e.account_id}` }], 'account_not_found', 'Unknown account_id');
      if (result instanceof Error) return result;
      if (result.status === 'rejected') return new ConflictError(result.error!.code, result.error!.message);
      return { id: result.id, deliveries: result.deliveries ?? 0 };
    });
  }

  /**
   * `store` for events of unrelated requests: if the shared statement fails, each event is tried
   * on its own, so one request's failure (or a deadlock victim) does not fail its neighbours —
   * unless Postgres is unavailable, which fails them all alike (and would only wait again per event).
   */
  private async storeIsolated(events: readonly IngestEvent[], targets: readonly DeliveryTarget[]): Promise<Array<ItemResult | Error>> {
    try {
      return await this.store(events, targets);
    } catch (error) {
      if (events.length <= 1 || isDatabaseUnavailable(error)) throw error;
      return Promise.all(events.map((e) => this.store([e], targets).then(([r]) => r!, (err: unknown) => (err instanceof Error ? err : new Error(String(err))))));
    }
  }

  /**
   * Stores events of known accounts (one transaction, one enqueue) and answers each, in order. An
   * id seen twice is a repeat of its first occurrence: the first is stored, the later one answers
   * like a repeat (`duplicate` for the same account, `rejected` for another one).
   */
  private async store(events: readonly IngestEvent[], targets: readonly DeliveryTarget[]): Promise<ItemResult[]> {
    const byAccount = new Map<AccountId, DeliveryTarget[]>();
    for (const t of targets) {
      const list = byAccount.get(t.accountId);
      if (list) list.push(t);
      else byAccount.set(t.accountId, [t]);
    }
    const prepared: PipelineEvent[] = events.map((e) => ({
      accountId: e.account_id,
      envelope: { id: e.id ?? newId('event'), type: e.type, created_at: e.created_at ?? nowTimestamp(), data: e.data },
      ...routeTo((byAccount.get(e.account_id) ?? []).filter((t) => t.events.includes(e.type))),
      trace: this.requestTraces.get(e),
    }));
    const firsts = new Map<EventId, PipelineEvent>();
    for (const p of prepared) if (!firsts.has(p.envelope.id)) firsts.set(p.envelope.id, p);
    const { stored } = await this.pipeline.submit([...firsts.values()]);
    const earlier = await this.findStoredEarlier([...firsts.values()].filter((p) => !stored.has(p.envelope.id)));

    return prepared.map((p, index): ItemResult => {
      const id = p.envelope.id;
      const deliveries = stored.get(id);
      if (deliveries && firsts.get(id) === p) return { index, id, status: 'accepted', deliveries: deliveries.length };
      // A later copy of an id in this request answers like a repeat of the first (same account or not).
      const first = firsts.get(id)!;
      const known: StoredEvent | undefined = deliveries ? { id, ownedBy: 'account', deliveries: deliveries.length } : earlier.get(id);
      if (known?.ownedBy === 'account' && first.accountId === p.accountId) return { index, id, status: 'duplicate', deliveries: known.deliveries };
      return { index, id, status: 'rejected', error: { code: 'event_id_conflict', message: `event id ${id} is already used by another account` } };
    });
  }

  /** Events that were stored before this request, as the account that sent each again sees them. */
  private async findStoredEarlier(repeats: readonly PipelineEvent[]): Promise<Map<EventId, StoredEvent>> {
    const idsByAccount = new Map<AccountId, EventId[]>();
    for (const p of repeats) {
      const ids = idsByAccount.get(p.accountId);
      if (ids) ids.push(p.envelope.id);
      else idsByAccount.set(p.accountId, [p.envelope.id]);
    }
    const found = await Promise.all([...idsByAccount].map(([accountId, ids]) => this.events.findStored(accountId, ids)));
    return new Map(found.flat().map((s) => [s.id, s]));
  }
}

/** Where an event goes: live webhooks get a pending delivery; ones the platform disabled, a held one. */
function routeTo(targets: readonly DeliveryTarget[]): Pick<PipelineEvent, 'webhookIds' | 'heldWebhookIds'> {
  const webhookIds: WebhookId[] = [];
  const heldWebhookIds: WebhookId[] = [];
  for (const t of targets) (t.held ? heldWebhookIds : webhookIds).push(t.webhookId);
  return { webhookIds, heldWebhookIds };
}

function distinctAccounts(events: readonly IngestEvent[]): AccountId[] {
  return [...new Set(events.map((e) => e.account_id))];
}
