import { HttpException, HttpStatus } from '@nestjs/common';
import { UrlPolicyError } from '@inbox/server';
import { ApiError, type ErrorBody } from './api-error.js';

/** What a failed request answers: status, body and any extra headers. */
export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
  /** True for genuine server faults, which are logged with their stack. */
  unexpected: boolean;
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

/** Errors raised by the body parser (express's http-errors): a status and a `type`. */
interface BodyParserError {
  status: number;
  type: string;
  expose?: boolean;
  /** entity.too.large: the limit in bytes. */
  limit?: number;
}

/** 262144 → "256 KiB", 4194304 → "4 MiB". */
function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return typeof error === 'object' && error !== null && typeof (error as BodyParserError).status === 'number' && typeof (error as BodyParserError).type === 'string';
}

function body(code: string, message: string, details?: ErrorBody['error']['details']): ErrorBody {
  return { error: { code, message, ...(details ? { details } : {}) } };
}

/** Maps anything thrown while serving a request to the response the client gets. */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof ApiError) {
    return { status: error.status, body: error.toBody(), headers: error.headers ?? {}, unexpected: false };
  }
  if (error instanceof UrlPolicyError) {
    return { status: 422, body: body(error.code, error.message, [{ path: 'url', message: error.message }]), headers: {}, unexpected: false };
  }
  // Nest's express adapter wraps body-parser errors in an HttpException; the original is the cause.
  const parserError = error instanceof HttpException && isBodyParserError(error.cause) ? error.cause : error;
  if (isBodyParserError(parserError)) {
    if (parserError.type === 'entity.parse.failed') return { status: 400, body: body('invalid_json', 'The request body is not valid JSON'), headers: {}, unexpected: false };
    if (parserError.type === 'entity.too.large') {
      const limit = typeof parserError.limit === 'number' ? formatBytes(parserError.limit) : 'the limit';
      return { status: 413, body: body('payload_too_large', `The request body is larger than ${limit}`), headers: {}, unexpected: false };
    }
    if (parserError.status >= 400 && parserError.status < 500) {
      return { status: parserError.status, body: body(CODE_BY_STATUS[parserError.status] ?? 'bad_request', 'The request body could not be read'), headers: {}, unexpected: false };
    }
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status < 500) {
      const code = CODE_BY_STATUS[status] ?? 'bad_request';
      const message = status === 404 ? 'No such route' : error.cause instanceof URIError ? 'The URL is not valid (bad percent-encoding)' : error.message;
      return { status, body: body(code, message), headers: {}, unexpected: false };
    }
  }
  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    body: body('internal_error', 'Something went wrong on our side; try again later'),
    headers: {},
    unexpected: true,
  };
}
