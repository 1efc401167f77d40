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
  const json = JSON.stringify(body);
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${reason}\r\nContent-Length: ${Buffer.byteLength(json)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${json}`);
  }
  socket.destroy(error);
}
