import { pipeline, Transform, type Readable } from 'node:stream';
import type { FastifyRequest, preParsingAsyncHookHandler } from 'fastify';
import { ApiError } from './api-error.js';

/** Request bodies above this are refused with 413 before any handler runs (the customer API contract). */
export const MAX_BODY_BYTES = 256 * 1024;

export const BATCH_INGEST_PATH = '/internal/v1/events/batch';
/**
 * The batch ingest route's own limit: it takes up to MAX_BATCH_EVENTS (500) events, and 500 events
 * of ~1 KB are ~500 KB, past MAX_BODY_BYTES. 4 MiB holds 500 events of ~8 KiB; callers with larger
 * events send smaller batches. Only a caller carrying the service token gets it: anyone else is
 * held to MAX_BODY_BYTES, so an unauthenticated client cannot make the API read megabytes before
 * the guard answers 401.
 */
export const MAX_BATCH_INGEST_BODY_BYTES = 4 * 1024 * 1024;

/** 262144 → "256 KiB", 4194304 → "4 MiB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

export const payloadTooLarge = (limit: number): ApiError => new ApiError(413, 'payload_too_large', `The request body is larger than ${formatBytes(limit)}`);

/**
 * A `preParsing` hook holding each request's body to `limitFor(request)` bytes, which may be below
 * the server's own `bodyLimit` (Fastify has one limit per route; ours also depends on the caller).
 * A declared Content-Length over the limit is refused before a byte is read; a chunked body is
 * counted as it streams (Fastify itself checks that a declared length is the real one).
 */
export function bodyLimitHook(limitFor: (req: FastifyRequest) => number): preParsingAsyncHookHandler {
  return async (req, _reply, payload) => {
    const limit = limitFor(req);
    const declared = req.headers['content-length'];
    if (declared !== undefined) {
      if (Number(declared) > limit) throw payloadTooLarge(limit);
      return payload;
    }
    if (req.headers['transfer-encoding'] === undefined) return payload; // no body at all
    let received = 0;
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        callback(received > limit ? payloadTooLarge(limit) : null, chunk);
      },
    });
    // pipeline: a refused body's source is destroyed too, not left paused.
    return pipeline(payload as Readable, counted, () => {});
  };
}
