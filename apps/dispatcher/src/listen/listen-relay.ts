import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Cluster } from 'ioredis';
import type { DispatchRecord } from '@inbox/db';
import {
  createRedisClient,
  DISPATCHER_CONFIG,
  LISTEN_REQUEST_ID,
  listenReplyChannel,
  listenSessionChannel,
  REDIS,
  SUBSCRIBER_REDIS,
  ThrottledWarning,
  withinRedisWait,
  type DispatcherConfig,
  type ListenReply,
  type ListenRequest,
  type RedisClient,
} from '@inbox/server';
import { RESPONSE_EXCERPT_BYTES, type PostResult } from '../http/webhook-client.js';

interface Pending {
  sessionId: string;
  resolve: (reply: ListenReply) => void;
}

const LOCAL_ERRORS = new Set<ListenReply['error']>(['connection_refused', 'connection_reset', 'timeout', 'network']);

/**
 * The dispatcher's "send" for an `inbox listen` session: instead of a POST, the delivery (exact
 * body, every header as signed) is published on the session's channel, and the CLI's report of
 * what its local server answered comes back on this instance's reply channel; no report within
 * INBOX_DELIVERY_TIMEOUT is a `timeout`. The answer is recorded like any HTTP attempt.
 *
 * Nobody subscribed to the session's channel (PUBLISH reaches no one: the stream is gone) is
 * `connection_refused` at once. On a Redis Cluster PUBLISH counts only the receiving node's
 * subscribers, so there a missing stream shows as a timeout instead.
 */
@Injectable()
export class ListenRelay implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger('ListenRelay');
  private readonly subscriberErrors = new ThrottledWarning((m) => this.log.warn(m));
  /** This process's name in request ids: replies come back on its own channel. */
  readonly instanceId = randomBytes(8).toString('hex');
  private readonly pending = new Map<string, Pending>();
  private subscriber: RedisClient | undefined;

  constructor(
    @Inject(DISPATCHER_CONFIG) private readonly config: DispatcherConfig,
    @Inject(REDIS) private readonly redis: RedisClient,
  ) {}

  onModuleInit(): void {
    const subscriber = createRedisClient(this.config, SUBSCRIBER_REDIS);
    subscriber.on('error', (error: Error) => this.subscriberErrors.warn(`listen reply subscriber: ${error.message}`));
    subscriber.on('message', (_channel: string, message: string) => this.onReply(message));
    this.subscriber = subscriber;
    // On every (re)connection, not awaited: the dispatcher starts and runs without Redis, and a
    // subscription that failed while Redis was away is made once it is back.
    const channel = listenReplyChannel(this.config, this.instanceId);
    subscriber.on('ready', () => {
      subscriber.subscribe(channel).catch((error: unknown) => this.subscriberErrors.warn(`listen reply channel not subscribed: ${String(error)}`));
    });
  }

  async onApplicationShutdown(): Promise<void> {
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    await subscriber?.quit().catch(() => subscriber.disconnect());
  }

  /** One attempt to a session: what its CLI reports, or the failure of not hearing from it. */
  async send(record: DispatchRecord, body: string, headers: Record<string, string>, attempt: number): Promise<PostResult> {
    const requestedAt = new Date();
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const timeoutMs = this.config.deliveryTimeoutMs;
    const requestId = `${this.instanceId}.${randomBytes(16).toString('hex')}`;
    const request: ListenRequest = {
      request_id: requestId,
      session_id: record.webhookId,
      event_id: record.eventId,
      event_type: record.eventType,
      attempt,
      headers,
      body,
      timeout_ms: timeoutMs,
    };
    const failed = (error: NonNullable<PostResult['error']>, errorMessage: string): PostResult => ({
      requestedAt,
      durationMs: elapsed(),
      statusCode: null,
      error,
      errorMessage,
      responseBody: null,
      succeeded: false,
      retryAfterMs: null,
    });

    let timer: NodeJS.Timeout | undefined;
    const answered = new Promise<ListenReply | undefined>((resolve) => {
      this.pending.set(requestId, { sessionId: record.webhookId, resolve });
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    try {
      let receivers: number;
      try {
        receivers = await withinRedisWait(this.redis, () => this.redis.publish(listenSessionChannel(this.config, record.webhookId), JSON.stringify(request)));
      } catch (error) {
        return failed('network', `the listen session could not be reached (Redis unavailable): ${(error as Error).message}`.slice(0, 500));
      }
      if (receivers === 0 && !(this.redis instanceof Cluster)) {
        return failed('connection_refused', 'the `inbox listen` session is not connected');
      }
      const reply = await answered;
      if (!reply) return failed('timeout', `no answer from the \`inbox listen\` session within ${timeoutMs} ms`);
      return toResult(reply, requestedAt, elapsed());
    } finally {
      clearTimeout(timer);
      this.pending.delete(requestId);
    }
  }

  private onReply(message: string): void {
    let reply: ListenReply;
    try {
      reply = JSON.parse(message) as ListenReply;
    } catch {
      return;
    }
    if (typeof reply?.request_id !== 'string' || !LISTEN_REQUEST_ID.test(reply.request_id)) return;
    const pending = this.pending.get(reply.request_id);
    // Only the session the request went to may answer it.
    if (!pending || pending.sessionId !== reply.session_id) return;
    this.pending.delete(reply.request_id);
    pending.resolve(reply);
  }
}

/** The CLI's report as an attempt: its status and excerpt; its duration, never more than the platform waited. */
function toResult(reply: ListenReply, requestedAt: Date, elapsedMs: number): PostResult {
  const durationMs = Number.isFinite(reply.duration_ms) ? Math.max(0, Math.min(Math.round(reply.duration_ms), elapsedMs)) : elapsedMs;
  const responseBody = typeof reply.body === 'string' ? reply.body.slice(0, RESPONSE_EXCERPT_BYTES).replaceAll('\u0000', '') : null;
  const status = Number.isInteger(reply.status_code) && reply.status_code! >= 100 && reply.status_code! <= 599 ? reply.status_code! : null;
  if (status === null) {
    const error = LOCAL_ERRORS.has(reply.error) ? reply.error! : 'network';
    const errorMessage = (typeof reply.error_message === 'string' ? reply.error_message : `the local server gave no answer (${error})`).slice(0, 500);
    return { requestedAt, durationMs, statusCode: null, error, errorMessage, responseBody: null, succeeded: false, retryAfterMs: null };
  }
  const redirect = status >= 300 && status < 400;
  return {
    requestedAt,
    durationMs,
    statusCode: status,
    error: redirect ? 'redirect' : null,
    errorMessage: redirect ? 'redirects are not followed' : null,
    responseBody,
    succeeded: status >= 200 && status < 300,
    retryAfterMs: null,
  };
}
