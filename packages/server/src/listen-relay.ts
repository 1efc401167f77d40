import type { RedisOptions } from 'ioredis';
import { queuePrefix } from './queue.js';
import type { SharedConfig } from './config.js';

/**
 * The contract between the dispatcher and the API replica holding an `inbox listen` stream, over
 * Redis pub/sub (classic PUBLISH/SUBSCRIBE: a Redis Cluster broadcasts them to every node; the
 * channel names sit under the queue prefix's hash tag like every other key of the apps).
 *
 * 1. The dispatcher publishes a `ListenRequest` on the session's channel (`listenSessionChannel`).
 * 2. The API replica subscribed to it sends the request down the stream; the CLI POSTs it to the
 *    local server and answers `POST /v1/listen/{session}/responses`, which any replica takes.
 * 3. That replica publishes a `ListenReply` on the channel of the dispatcher that asked (named in
 *    the request id, see `listenReplyChannel`); the dispatcher records it as the attempt.
 */

/** A request id: `<dispatcher instance>.<random>`, so a reply finds its way back to the process that waits for it. */
export const LISTEN_REQUEST_ID = /^([0-9a-f]{16})\.([0-9a-f]{32})$/;

/** What a dispatcher sends to a session: the delivery exactly as it would POST it. */
export interface ListenRequest {
  request_id: string;
  session_id: string;
  event_id: string;
  event_type: string;
  attempt: number;
  /** Every header the delivery carries (signatures included), as the dispatcher built them. */
  headers: Record<string, string>;
  /** The exact body bytes, as UTF-8 text (bodies are serialized JSON). */
  body: string;
  /** How long the platform waits for the answer: the CLI gives the local server a little less. */
  timeout_ms: number;
}

/** What the local server answered, as the CLI reported it. */
export interface ListenReply {
  request_id: string;
  session_id: string;
  status_code: number | null;
  /** Why there is no status (the local server refused the connection, timed out…). */
  error: 'connection_refused' | 'connection_reset' | 'timeout' | 'network' | null;
  error_message: string | null;
  duration_ms: number;
  /** The start of the local answer's body (the log keeps 1 KiB). */
  body: string | null;
}

/** The channel a session's requests are published on. */
export function listenSessionChannel(config: Pick<SharedConfig, 'queuePrefix'>, sessionId: string): string {
  return `${queuePrefix(config)}:listen:session:${sessionId}`;
}

/** The channel a dispatcher instance takes replies on. */
export function listenReplyChannel(config: Pick<SharedConfig, 'queuePrefix'>, instanceId: string): string {
  return `${queuePrefix(config)}:listen:replies:${instanceId}`;
}

/**
 * For subscriber connections: no command timeout (a subscribed connection is silent by design),
 * commands wait briefly for a reconnect (ioredis subscribes again by itself after one).
 */
export const SUBSCRIBER_REDIS = {
  maxRetriesPerRequest: 1,
  enableOfflineQueue: true,
  retryStrategy: (attempt: number) => Math.min(attempt * 50, 2_000),
} satisfies RedisOptions;
