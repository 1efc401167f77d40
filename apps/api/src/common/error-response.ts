import { HttpException, HttpStatus } from '@nestjs/common';
import { isDatabaseUnavailable } from '@inbox/db';
import { OverloadedError, UrlPolicyError } from '@inbox/server';
import { ApiError, type ErrorBody } from './api-error.js';
import { MAX_BATCH_INGEST_BODY_BYTES, payloadTooLarge } from './body-limit.js';

/** What a failed request answers: status, body and any extra headers. */
export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
  /** True for genuine server faults, which are logged with their stack. */
  unexpected: boolean;
  /** Why the service could not answer for now (Postgres away, too much waiting for it): logged at warn, no stack. */
  outage?: string;
}

/** What a caller is told to wait before trying again while Postgres is away or overloaded. */
const RETRY_AFTER_SECONDS = 2;

/**
 * Postgres cannot answer (down, unreachable, too slow), the line to it is full, or readiness
 * (terminus) found a dependency down; null for anything else.
 */
function outageOf(error: unknown): string | null {
  if (error instanceof OverloadedError) return error.message;
  if (error instanceof HttpException && error.getStatus() === HttpStatus.SERVICE_UNAVAILABLE) return `not ready: ${error.message}`;
  if (!isDatabaseUnavailable(error)) return null;
  // A refused connect to a name with two addresses is an AggregateError: no message, a code.
  const { message, code } = error as { message?: string; code?: string };
  return `Postgres unavailable: ${message || code || 'no answer'}`;
}

const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_failed',
  429: 'rate_limited',
};

/** Errors Fastify raises while reading a request (`FST_ERR_…`). */
interface FastifyRequestError {
  statusCode: number;
  code?: string;
}

const INVALID_JSON_CODES = new Set(['FST_ERR_CTP_EMPTY_JSON_BODY', 'FST_ERR_CTP_INVALID_JSON_BODY']);

function isFastifyRequestError(error: unknown): error is FastifyRequestError {
  return typeof error === 'object' && error !== null && typeof (error as FastifyRequestError).statusCode === 'number';
}

/** What a client sent that could not be read as a request body; null for anything else. */
function bodyReadError(error: FastifyRequestError): ErrorResponse | null {
  if (INVALID_JSON_CODES.has(error.code ?? '')) {
    return { status: 400, body: body('invalid_json', 'The request body is not valid JSON'), headers: {}, unexpected: false };
  }
  // Fastify's own limit, the largest route's: other requests are refused by bodyLimitHook first.
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return toErrorResponse(payloadTooLarge(MAX_BATCH_INGEST_BODY_BYTES));
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return { status: 415, body: body('unsupported_media_type', 'Send the body as JSON with "Content-Type: application/json"'), headers: {}, unexpected: false };
  }
  if (error.code?.startsWith('FST_ERR_CTP_') && error.statusCode >= 400 && error.statusCode < 500) {
    return { status: error.statusCode, body: body(CODE_BY_STATUS[error.statusCode] ?? 'bad_request', 'The request body could not be read'), headers: {}, unexpected: false };
  }
  return null;
}

function body(code: string, message: string, details?: ErrorBody['error']['details']): ErrorBody {
  return { error: { code, message, ...(details ? { details } : {}) } };
}

/** The error body naming the request it answers (`error.request_id`, as the `X-Request-Id` header). */
export function withRequestId(body: ErrorBody, requestId: string): ErrorBody {
  return { error: { ...body.error, request_id: requestId } };
}

/** Maps anything thrown while serving a request to the response the client gets. */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof ApiError) {
    return { status: error.status, body: error.toBody(), headers: error.headers ?? {}, unexpected: false };
  }
  if (error instanceof UrlPolicyError) {
    return { status: 422, body: body(error.code, error.message, [{ path: 'url', message: error.message }]), headers: {}, unexpected: false };
  }
  // The router's own refusals, before any route matched.
  if (isFastifyRequestError(error) && error.code === 'FST_ERR_BAD_URL') {
    return { status: 400, body: body('bad_request', 'The URL is not valid (bad percent-encoding)'), headers: {}, unexpected: false };
  }
  if (isFastifyRequestError(error) && error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    // Longer than any of our ids: no such resource (as for any other malformed id).
    return { status: 404, body: body('not_found', 'No such resource'), headers: {}, unexpected: false };
  }
  // Nest's Fastify adapter wraps Fastify's request errors in an HttpException; the original is the cause.
  const readError = error instanceof HttpException && isFastifyRequestError(error.cause) ? bodyReadError(error.cause) : null;
  if (readError) return readError;
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status < 500) {
      const code = CODE_BY_STATUS[status] ?? 'bad_request';
      const message = status === 404 ? 'No such route' : error.message;
      return { status, body: body(code, message), headers: {}, unexpected: false };
    }
  }
  const outage = outageOf(error);
  if (outage) {
    return {
      status: HttpStatus.SERVICE_UNAVAILABLE,
      body: body('unavailable', `The service is briefly unavailable; retry after ${RETRY_AFTER_SECONDS} s`),
      headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) },
      unexpected: false,
      outage,
    };
  }
  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    body: body('internal_error', 'Something went wrong on our side; try again later'),
    headers: {},
    unexpected: true,
  };
}
