import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The header a request id arrives and leaves in. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** A caller's request id we accept as is: 1 to 128 of `[A-Za-z0-9._:-]`. Anything else is replaced. */
const WELL_FORMED = /^[A-Za-z0-9._:-]{1,128}$/;

const ids = new WeakMap<IncomingMessage, string>();

/**
 * The request's id: the caller's `X-Request-Id` when well-formed, else a generated UUID. Remembered
 * per request, so Fastify (`request.id`, the answer's header) and pino-http (every log line's
 * `req.id`) agree on one id.
 */
export function requestIdOf(req: IncomingMessage): string {
  let id = ids.get(req);
  if (id === undefined) {
    const supplied = req.headers[REQUEST_ID_HEADER];
    id = typeof supplied === 'string' && WELL_FORMED.test(supplied) ? supplied : randomUUID();
    ids.set(req, id);
  }
  return id;
}
