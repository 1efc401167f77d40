import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Agent, request } from 'undici';
import type { AttemptResult } from '@inbox/db';
import { DISPATCHER_CONFIG, HostResolver, type DispatcherConfig } from '@inbox/server';
import { guardedConnector } from './address-guard.js';
import { classifyError } from './classify-error.js';
import { parseRetryAfter, RETRY_AFTER_STATUSES } from './retry-after.js';

/** How much of a response body the delivery log keeps. */
export const RESPONSE_EXCERPT_BYTES = 1024;

/**
 * What one POST to an endpoint gave: what an attempt row records, and how long a 429 or 503 asked
 * the next try to wait (`Retry-After`, in ms; null when it did not say).
 */
export type PostResult = AttemptResult & { retryAfterMs: number | null };

/**
 * POSTs webhook bodies: one keep-alive connection pool per origin (undici Agent), hosts resolved
 * under a deadline off the thread pool and the network policy checked on every new connection, a deadline covering connect + headers + body, redirects
 * never followed (a 3xx is a failure, error `redirect`), at most 1 KiB of the answer read.
 */
@Injectable()
export class WebhookClient implements OnApplicationShutdown {
  private readonly agent: Agent;
  private readonly timeoutMs: number;

  constructor(@Inject(DISPATCHER_CONFIG) config: DispatcherConfig, resolver: HostResolver) {
    this.timeoutMs = config.deliveryTimeoutMs;
    this.agent = new Agent({
      // Per origin. Not the per-endpoint cap (EndpointLimiter does that, per webhook): several
      // customers' webhooks may share one origin, and requests queued here would hold worker slots.
      connections: config.dispatcherConcurrency,
      pipelining: 1,
      keepAliveTimeout: 4_000,
      keepAliveMaxTimeout: 60_000,
      headersTimeout: config.deliveryTimeoutMs,
      bodyTimeout: config.deliveryTimeoutMs,
      connect: guardedConnector({ timeoutMs: config.deliveryTimeoutMs, allowPrivateUrls: config.allowPrivateUrls, resolver }),
    });
  }

  async post(url: string, body: Buffer, headers: Record<string, string>): Promise<PostResult> {
    const requestedAt = new Date();
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      const response = await request(url, { dispatcher: this.agent, method: 'POST', headers, body, signal });
      const responseBody = await readExcerpt(response.body);
      const statusCode = response.statusCode;
      const succeeded = statusCode >= 200 && statusCode < 300;
      const redirect = statusCode >= 300 && statusCode < 400;
      return {
        requestedAt,
        durationMs: elapsed(),
        statusCode,
        error: redirect ? 'redirect' : null,
        errorMessage: redirect ? `redirects are not followed (location: ${String(response.headers.location ?? 'none').slice(0, 300)})` : null,
        responseBody,
        succeeded,
        retryAfterMs: RETRY_AFTER_STATUSES.has(statusCode) ? parseRetryAfter(response.headers['retry-after'], Date.now()) : null,
      };
    } catch (error) {
      const { error: kind, message } = classifyError(signal.aborted ? signal.reason : error);
      const errorMessage = kind === 'timeout' ? `no complete answer within ${this.timeoutMs} ms` : message;
      return { requestedAt, durationMs: elapsed(), statusCode: null, error: kind, errorMessage, responseBody: null, succeeded: false, retryAfterMs: null };
    }
  }

  /** After the workers stopped (onModuleDestroy), so no attempt in flight loses its connection. */
  async onApplicationShutdown(): Promise<void> {
    await this.agent.close();
  }
}

/**
 * Reads up to 1 KiB of a body. A short body is read to its end, so the connection goes back to
 * the pool; a longer one is cut off (the stream is destroyed, and with it that connection).
 */
async function readExcerpt(body: AsyncIterable<Buffer> & { destroy(): unknown }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= RESPONSE_EXCERPT_BYTES) {
      body.destroy();
      break;
    }
  }
  // Postgres text cannot hold NUL; a cut multi-byte character decodes to U+FFFD.
  return Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT_BYTES).toString('utf8').replaceAll('\u0000', '');
}
