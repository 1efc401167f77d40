import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { generateSecret } from '@inbox/signing';
import { EVENT_TYPES } from '@inbox/events';
import { newId, parseId, SecretBox, WebhooksRepository, type AccountId, type WebhookId } from '@inbox/db';
import {
  API_CONFIG,
  createRedisClient,
  LISTEN_REQUEST_ID,
  listenReplyChannel,
  listenSessionChannel,
  REDIS,
  SUBSCRIBER_REDIS,
  ThrottledWarning,
  withinRedisWait,
  type ApiConfig,
  type ListenReply,
  type RedisClient,
} from '@inbox/server';
import { ApiError, ConflictError, InvalidParameterError, NotFoundError } from '../common/api-error.js';
import type { ListenQuery, ListenResponseBody, ListenSessionEvent } from './listen.dto.js';

/** A comment line on every open stream this often, so proxies and the CLI know it is alive; sessions are marked seen as often. */
export const LISTEN_HEARTBEAT_MS = 15_000;
/** A session not seen for this long (its API replica died with the stream open) is ended by any replica's sweep. */
export const LISTEN_SESSION_STALE_MS = 60_000;
/** How often each replica sweeps stale sessions, and how many it ends at a time. */
const SWEEP_EVERY_MS = 30_000;
const SWEEP_BATCH = 1000;
/** The most live `inbox listen` sessions one account may have at once. */
export const MAX_LISTEN_SESSIONS_PER_ACCOUNT = 20;
/** How long opening a stream waits for Redis to subscribe it. */
const SUBSCRIBE_WAIT_MS = 1_000;
/** Bytes a stream may hold unread by its client before the session is ended. */
const MAX_BUFFERED_BYTES = 4 * 2 ** 20;

interface Stream {
  accountId: AccountId;
  reply: FastifyReply;
}

const unavailable = () =>
  new ApiError(503, 'listen_unavailable', 'Listening is briefly unavailable (the platform cannot reach Redis); retry in a few seconds', undefined, { 'Retry-After': '5' });

/**
 * `inbox listen` sessions, server side. A session is a webhook of kind `listen` with its own secret
 * and event filter; it lives while its Server-Sent Events stream is open on this replica. The
 * dispatcher publishes each delivery to it on the session's Redis channel, which this replica
 * subscribes to and writes down the stream; the CLI reports each answer at
 * `POST /v1/listen/{id}/responses` (any replica), published back to the dispatcher that waits.
 * When the stream closes the session is deleted, so its pending deliveries end unsent.
 */
@Injectable()
export class ListenService implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('ListenService');
  private readonly subscriberErrors = new ThrottledWarning((m) => this.log.warn(m));
  /** Heartbeat and sweep failures (Postgres away): one line per interval, not one per tick. */
  private readonly beatErrors = new ThrottledWarning((m) => this.log.warn(m));
  private readonly streams = new Map<WebhookId, Stream>();
  private subscriber: RedisClient | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private sweep: NodeJS.Timeout | undefined;
  private closing = false;

  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly secrets: SecretBox,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    const subscriber = createRedisClient(this.config, { ...SUBSCRIBER_REDIS, lazyConnect: true });
    subscriber.on('error', (error: Error) => this.subscriberErrors.warn(`listen subscriber: ${error.message}`));
    subscriber.on('message', (channel: string, message: string) => this.forward(channel, message));
    this.subscriber = subscriber;
    void subscriber.connect().catch(() => undefined);
    this.heartbeat = setInterval(() => void this.beat(), LISTEN_HEARTBEAT_MS);
    this.heartbeat.unref();
    this.sweep = setInterval(() => void this.expireStale(), SWEEP_EVERY_MS);
    this.sweep.unref();
    // Streams never end by themselves: they are closed (and their sessions ended) when the server
    // starts closing, before it waits for the requests in progress and while Postgres is there.
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    try {
      fastify?.addHook('preClose', async () => this.closeAll());
    } catch (error) {
      this.log.warn(`listen streams will not be closed before shutdown: ${(error as Error).message}`);
    }
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.heartbeat);
    clearInterval(this.sweep);
    await this.closeAll();
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    await subscriber?.quit().catch(() => subscriber.disconnect());
  }

  /** Opens a session and holds its stream open (the reply is hijacked) until the client goes. */
  async open(accountId: AccountId, query: ListenQuery, req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const id = newId('webhook');
    // Heard from the start: a client gone while the session is set up must not leave it behind.
    let clientGone = false;
    reply.raw.once('close', () => {
      clientGone = true;
      void this.end(id);
    });
    const events = await this.eventsFor(accountId, query);
    const subscriber = this.subscriber;
    if (this.closing || !subscriber) throw unavailable();
    const channel = listenSessionChannel(this.config, id);
    // Subscribed before the session exists: no delivery to it can be published unheard.
    try {
      if (subscriber.status !== 'ready') throw new Error(`Redis subscriber connection is ${subscriber.status}`);
      await withinRedisWait(this.redis, () => subscriber.subscribe(channel), SUBSCRIBE_WAIT_MS);
    } catch (error) {
      this.subscriberErrors.warn(`listen session not opened: ${(error as Error).message}`);
      void subscriber.unsubscribe(channel).catch(() => undefined);
      throw unavailable();
    }
    const secret = generateSecret();
    let result;
    try {
      result = await this.webhooks.createListenSession(accountId, { id, events, secretSealed: this.secrets.seal(secret) }, MAX_LISTEN_SESSIONS_PER_ACCOUNT);
    } catch (error) {
      void subscriber.unsubscribe(channel).catch(() => undefined);
      throw error;
    }
    if (!('created' in result)) {
      void subscriber.unsubscribe(channel).catch(() => undefined);
      if ('accountMissing' in result) throw new NotFoundError('Account');
      throw new ConflictError('listen_limit_reached', `An account can have at most ${MAX_LISTEN_SESSIONS_PER_ACCOUNT} listen sessions at once; stop one first`);
    }

    reply.hijack();
    this.streams.set(id, { accountId, reply });
    if (clientGone || reply.raw.destroyed) {
      await this.end(id);
      return;
    }
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const session: ListenSessionEvent = { id, secret, events };
    reply.raw.write(sseEvent('session', JSON.stringify(session)));
    this.log.log(`listen session ${id} opened for ${accountId}`);
  }

  /** Publishes what the CLI's local server answered to the dispatcher waiting for it. */
  async respond(accountId: AccountId, sessionId: WebhookId, body: ListenResponseBody): Promise<void> {
    const session = await this.webhooks.findListenSession(accountId, sessionId);
    if (!session) throw new NotFoundError('Listen session');
    const instance = LISTEN_REQUEST_ID.exec(body.request_id)![1]!;
    const message: ListenReply = {
      request_id: body.request_id,
      session_id: sessionId,
      status_code: body.status_code ?? null,
      error: body.error ?? null,
      error_message: body.error_message ?? null,
      duration_ms: body.duration_ms,
      body: body.body ?? null,
    };
    try {
      await withinRedisWait(this.redis, () => this.redis.publish(listenReplyChannel(this.config, instance), JSON.stringify(message)));
    } catch {
      throw unavailable();
    }
  }

  /** Ends a session of the account (`inbox listen` on Ctrl-C), and its stream if this replica holds it. */
  async close(accountId: AccountId, sessionId: WebhookId): Promise<void> {
    const ended = await this.webhooks.endListenSession(accountId, sessionId);
    const stream = this.streams.get(sessionId);
    if (stream?.accountId === accountId) await this.end(sessionId);
    if (!ended) throw new NotFoundError('Listen session');
  }

  /** The session's event types: the query's, the webhook's, or (neither given) every type. */
  private async eventsFor(accountId: AccountId, query: ListenQuery): Promise<string[]> {
    if (query.webhook_id === undefined) return query.events ?? [...EVENT_TYPES];
    const webhookId = parseId('webhook', query.webhook_id);
    const webhook = webhookId && (await this.webhooks.find(accountId, webhookId));
    if (!webhook) throw new NotFoundError('Webhook');
    if (!query.events) return webhook.events;
    const both = query.events.filter((t) => webhook.events.includes(t));
    if (both.length === 0) {
      throw new InvalidParameterError([{ path: 'events', message: `the webhook receives none of these event types; it receives ${webhook.events.join(', ')}` }]);
    }
    return both;
  }

  private forward(channel: string, message: string): void {
    const sessionId = channel.slice(channel.lastIndexOf(':') + 1) as WebhookId;
    const stream = this.streams.get(sessionId);
    if (!stream) return;
    if (!this.writable(stream)) {
      void this.end(sessionId);
      return;
    }
    stream.reply.raw.write(sseEvent('delivery', message));
  }

  /**
   * Whether the stream still takes writes: open, and not holding more than `MAX_BUFFERED_BYTES`
   * the client has not read (a laptop asleep with its connection up would have the API buffer
   * every delivery). One that does not is ended; the CLI reconnects to a new session.
   */
  private writable(stream: { reply: FastifyReply }): boolean {
    return !stream.reply.raw.destroyed && stream.reply.raw.writableLength <= MAX_BUFFERED_BYTES;
  }

  private async end(id: WebhookId): Promise<void> {
    const stream = this.streams.get(id);
    if (!stream) return;
    this.streams.delete(id);
    void this.subscriber?.unsubscribe(listenSessionChannel(this.config, id)).catch(() => undefined);
    if (!stream.reply.raw.writableEnded) stream.reply.raw.end();
    try {
      await this.webhooks.endListenSession(stream.accountId, id);
      this.log.log(`listen session ${id} closed`);
    } catch (error) {
      // Not seen any more: the sweep ends it within LISTEN_SESSION_STALE_MS.
      this.log.warn(`listen session ${id} not ended now (the sweep will): ${(error as Error).message}`);
    }
  }

  private async closeAll(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.streams.keys()].map((id) => this.end(id)));
  }

  /** A comment down every stream, and the sessions marked seen. */
  private async beat(): Promise<void> {
    const live: Array<{ accountId: AccountId; id: WebhookId }> = [];
    for (const [id, stream] of this.streams) {
      if (!this.writable(stream)) {
        void this.end(id);
        continue;
      }
      stream.reply.raw.write(': ping\n\n');
      live.push({ accountId: stream.accountId, id });
    }
    let stillOpen: Set<WebhookId>;
    try {
      stillOpen = await this.webhooks.touchListenSessions(live);
    } catch (error) {
      this.beatErrors.warn(`listen sessions not marked seen: ${(error as Error).message}`);
      return;
    }
    // Ended elsewhere (a DELETE on another replica, the sweep after an outage): close their streams.
    for (const { id } of live) if (!stillOpen.has(id)) void this.end(id);
  }

  private async expireStale(): Promise<void> {
    try {
      const ended = await this.webhooks.expireListenSessions(new Date(Date.now() - LISTEN_SESSION_STALE_MS), SWEEP_BATCH);
      if (ended > 0) this.log.log(`ended ${ended} listen sessions not seen for ${LISTEN_SESSION_STALE_MS / 1000} s`);
    } catch (error) {
      this.beatErrors.warn(`stale listen sessions not swept: ${(error as Error).message}`);
    }
  }
}

/** One Server-Sent Event; `data` is one line of JSON. */
function sseEvent(event: string, data: string): string {
  return `event: ${event}\ndata: ${data}\n\n`;
}
