import { Injectable } from '@nestjs/common';
import { EventsRepository, newId, WebhooksRepository } from '@inbox/db';
import { ConflictError, ValidationError, type ErrorDetail } from '../common/api-error.js';
import { nowTimestamp } from '../pipeline/event-body.js';
import { EventPipeline, type PipelineEvent } from '../pipeline/event-pipeline.js';
import type { IngestAccepted, IngestBatchResult, IngestEvent } from './ingest.dto.js';

type ItemResult = IngestBatchResult['results'][number];

/**
 * Internal event ingest: validated events are stored with one delivery per enabled, live webhook
 * of the account subscribed to the type, then enqueued (EventPipeline). Idempotent on event id.
 */
@Injectable()
export class IngestService {
  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly events: EventsRepository,
    private readonly pipeline: EventPipeline,
  ) {}

  /** One event: 202 `{id, deliveries}`, the same for a repeat; 409 if the id is another account's. */
  async ingestOne(event: IngestEvent): Promise<IngestAccepted> {
    const [result] = await this.ingest([event], '');
    if (!result) throw new Error('unreachable: one event in, one result out');
    if (result.status === 'rejected') throw new ConflictError(result.error!.code, result.error!.message);
    return { id: result.id, deliveries: result.deliveries ?? 0 };
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
    return { results: await this.ingest(events, 'events.') };
  }

  private async ingest(events: IngestEvent[], pathPrefix: string): Promise<ItemResult[]> {
    const accountIds = [...new Set(events.map((e) => e.account_id))];
    const { accounts: known, targets } = await this.webhooks.findDeliveryTargets(accountIds);
    const unknown: ErrorDetail[] = [];
    events.forEach((e, index) => {
      if (!known.has(e.account_id)) unknown.push({ path: `${pathPrefix}${pathPrefix ? `${index}.` : ''}account_id`, message: `no account ${e.account_id}` });
    });
    if (unknown.length > 0) throw new ValidationError(unknown, 'account_not_found', 'Unknown account_id');

    const prepared: PipelineEvent[] = events.map((e) => ({
      accountId: e.account_id,
      envelope: { id: e.id ?? newId('event'), type: e.type, created_at: e.created_at ?? nowTimestamp(), data: e.data },
      webhookIds: targets.filter((t) => t.accountId === e.account_id && t.events.includes(e.type)).map((t) => t.webhookId),
    }));
    const { stored } = await this.pipeline.submit(prepared);

    const repeated = prepared.filter((p) => !stored.has(p.envelope.id)).map((p) => p.envelope.id);
    const owners = new Map((await this.events.findOwners(repeated)).map((o) => [o.id, o]));
    return prepared.map((p, index): ItemResult => {
      const id = p.envelope.id;
      const deliveries = stored.get(id);
      if (deliveries) return { index, id, status: 'accepted', deliveries: deliveries.length };
      const owner = owners.get(id);
      if (owner && owner.accountId === p.accountId) return { index, id, status: 'duplicate', deliveries: owner.deliveries };
      return { index, id, status: 'rejected', error: { code: 'event_id_conflict', message: `event id ${id} is already used by another account` } };
    });
  }
}
