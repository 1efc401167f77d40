import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { Counter } from 'prom-client';
import { EventsRepository, newId, type AccountId, type DeliveryId, type EventId, type NewEvent, type WebhookId } from '@inbox/db';
import {
  deliverJob,
  DELIVERY_QUEUE,
  FairShare,
  metricsRegistry,
  REDIS,
  serializeEvent,
  SpanKind,
  startSpan,
  ThrottledWarning,
  traceContext,
  traceparentOf,
  traceparentOfSpan,
  withinRedisWait,
  type EventEnvelope,
  type RedisClient,
  type Span,
  type TraceContext,
} from '@inbox/server';

const eventsStored = new Counter({ name: 'inbox_api_events_stored_total', help: 'Events stored (new, not repeats)', registers: [metricsRegistry] });
const deliveriesCreated = new Counter({ name: 'inbox_api_deliveries_created_total', help: 'Deliveries created at ingest', registers: [metricsRegistry] });
const enqueueFailures = new Counter({
  name: 'inbox_api_enqueue_failures_total',
  help: 'Deliveries stored but not enqueued after commit (the dispatcher reconciler enqueues them)',
  registers: [metricsRegistry],
});

/** Enqueue in slices so one huge batch does not become one huge Redis pipeline. */
const ENQUEUE_CHUNK = 1000;

/** An event ready to store, with the webhooks it goes to. */
export interface PipelineEvent {
  accountId: AccountId;
  envelope: EventEnvelope & { id: EventId };
  webhookIds: readonly WebhookId[];
  /** Webhooks disabled by the platform: their deliveries are stored `failed`, unsent (recover sends them). */
  heldWebhookIds?: readonly WebhookId[];
  /** The trace context of the request that sent it (micro-batched requests share one store); else the active one. */
  trace?: TraceContext | undefined;
}

/** A delivery to enqueue, its account (whose line it joins), and the trace context its job carries to the dispatcher. */
type Enqueueable = Pick<NewEvent['deliveries'][number], 'id' | 'webhookId'> & { accountId: AccountId; traceparent?: string | undefined };

export interface PipelineResult {
  /** Delivery ids created per stored event; events absent here were already stored (repeats). */
  stored: Map<EventId, DeliveryId[]>;
}

/**
 * The normal way into delivery, for ingested and test events alike: in one transaction store each
 * event (body serialized once) with one pending delivery per target webhook; after commit enqueue
 * one job per delivery (job id = delivery id). The request waits on the enqueue for
 * `REDIS_WAIT_MS` at most, and not at all while Redis is away: the rows are committed, and the
 * dispatcher's reconciler enqueues pending deliveries that have no job. Jobs that land after the
 * answer are harmless (job id = delivery id).
 */
@Injectable()
export class EventPipeline {
  private readonly logger = new Logger('EventPipeline');
  /** One line per interval while Redis is away, not one per request or reconnect. */
  private readonly notEnqueued = new ThrottledWarning((m) => this.logger.warn(m));
  private readonly queueErrors = new ThrottledWarning((m) => this.logger.warn(m));

  constructor(
    private readonly events: EventsRepository,
    @InjectQueue(DELIVERY_QUEUE) private readonly queue: Queue,
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly fair: FairShare,
  ) {
    // The queue's connection reports every failed reconnect; unheard, each would be printed.
    queue.on('error', (error: Error) => this.queueErrors.warn(`delivery queue: ${error.message}`));
  }

  async submit(input: readonly PipelineEvent[]): Promise<PipelineResult> {
    const rows: NewEvent[] = input.map((e) => ({
      id: e.envelope.id,
      accountId: e.accountId,
      type: e.envelope.type,
      createdAt: e.envelope.created_at,
      body: serializeEvent(e.envelope),
      deliveries: [
        ...e.webhookIds.map((webhookId) => ({ id: newId('delivery'), webhookId })),
        ...(e.heldWebhookIds ?? []).map((webhookId) => ({ id: newId('delivery'), webhookId, held: true })),
      ],
    }));
    const storedIds = await this.events.storeWithDeliveries(rows);
    const stored = new Map<EventId, DeliveryId[]>();
    const deliveries: Enqueueable[] = [];
    const spans: Span[] = [];
    rows.forEach((row, i) => {
      if (!storedIds.has(row.id)) return;
      stored.set(row.id, row.deliveries.map((d) => d.id));
      // Each event's enqueue is a child of its own request's span, even when requests share a batch.
      const span = startSpan('inbox.enqueue', input[i]!.trace ?? traceContext.active(), SpanKind.PRODUCER, {
        'inbox.account_id': row.accountId,
        'inbox.event_id': row.id,
        'inbox.event_type': row.type,
      });
      spans.push(span);
      const traceparent = traceparentOfSpan(span);
      deliveries.push(...row.deliveries.filter((d) => !d.held).map((d) => ({ ...d, accountId: row.accountId, traceparent })));
    });
    eventsStored.inc(stored.size);
    deliveriesCreated.inc(deliveries.length);
    try {
      await this.enqueue(deliveries);
    } finally {
      for (const span of spans) span.end();
    }
    return { stored };
  }

  /**
   * One job per committed delivery (new events' here; resends' too), in chunks, within the Redis
   * wait; what cannot be enqueued is counted and left to the reconciler. The webhook id rides along
   * so the dispatcher can park a job of a full endpoint before loading it; each job takes its place
   * in its account's line (`FairShare`), so one account's burst does not queue before the others.
   */
  async enqueue(deliveries: readonly Enqueueable[]): Promise<void> {
    if (deliveries.length === 0) return;
    let enqueued = 0;
    const addAll = async () => {
      for (let i = 0; i < deliveries.length; i += ENQUEUE_CHUNK) {
        const chunk = deliveries.slice(i, i + ENQUEUE_CHUNK);
        const priorities = await this.fair.placesFor(chunk.map((d) => d.accountId));
        await this.queue.addBulk(
          chunk.map((d, j) =>
            deliverJob({ deliveryId: d.id, webhookId: d.webhookId, traceparent: d.traceparent ?? traceparentOf(), fair: { accountId: d.accountId, priority: priorities[j]! } }),
          ),
        );
        enqueued += chunk.length;
      }
    };
    try {
      await withinRedisWait(this.redis, addAll);
    } catch (error) {
      const left = deliveries.length - enqueued;
      enqueueFailures.inc(left);
      this.notEnqueued.warn(`${left} deliveries stored but not enqueued; the reconciler will enqueue them: ${(error as Error).message}`);
    }
  }
}
