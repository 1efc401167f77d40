import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { ErrorBody } from './api-error.js';

/** What Node's HTTP parser refuses before Fastify sees a request: status, reason phrase, error body. */
function answerFor(code: string | undefined): [number, string, ErrorBody] {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return [408, 'Request Timeout', { error: { code: 'request_timeout', message: 'The request took too long to arrive' } }];
  if (code === 'HPE_HEADER_OVERFLOW') {
    return [431, 'Request Header Fields Too Large', { error: { code: 'headers_too_large', message: 'The request headers are larger than the server accepts' } }];
  }
  return [400, 'Bad Request', { error: { code: 'bad_request', message: 'The request could not be read as HTTP' } }];
}

/**
 * Fastify's `clientErrorHandler`: requests Node cannot parse (headers too large, a malformed request
 * line, a request that took too long) get our `{"error": {…}}` body like every other refusal,
 * written straight to the socket since no request or reply object exists.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, body] = answerFor(error.code);
  // No request was read, so no caller's id either: a fresh one, to quote like any other.
  const requestId = randomUUID();
  const json = JSON.stringify({ error: { ...body.error, request_id: requestId } });
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${reason}\r\nContent-Length: ${Buffer.byteLength(json)}\r\nContent-Type: application/json\r\nX-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${json}`);
  }
  socket.destroy(error);
}
