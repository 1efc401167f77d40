/** One problem with a request, pointing at the field (dotted path; '' for the whole body). */
export interface ErrorDetail {
  path: string;
  message: string;
}

/** The error body every failing request answers with. */
export interface ErrorBody {
  error: { code: string; message: string; details?: ErrorDetail[]; request_id?: string };
}

/**
 * A failure the client can act on. Services throw these; ApiExceptionFilter turns them into
 * `{"error": {code, message, details?}}` with the status.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
    /** Extra response headers (e.g. Retry-After). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } };
  }
}

export class NotFoundError extends ApiError {
  constructor(what: string) {
    super(404, 'not_found', `${what} not found`);
  }
}

/** The body is well-formed JSON but breaks the schema or a business rule: 422 naming each field. */
export class ValidationError extends ApiError {
  constructor(details: ErrorDetail[], code = 'validation_failed', message = 'The request body is invalid') {
    super(422, code, message, details);
  }
}

/** A query parameter (limit, cursor, filters) is wrong: 400. */
export class InvalidParameterError extends ApiError {
  constructor(details: ErrorDetail[], code = 'invalid_parameter') {
    super(400, code, details.map((d) => `${d.path}: ${d.message}`).join('; ') || 'Invalid query parameter', details);
  }
}

export class ConflictError extends ApiError {
  constructor(code: string, message: string) {
    super(409, code, message);
  }
}

export class UnauthorizedError extends ApiError {
  constructor(message: string) {
    super(401, 'unauthorized', message, undefined, { 'WWW-Authenticate': 'Bearer' });
  }
}

export class RateLimitedError extends ApiError {
  constructor(retryAfterSeconds: number) {
    super(429, 'rate_limited', `Too many requests: retry after ${retryAfterSeconds} s`, undefined, { 'Retry-After': String(retryAfterSeconds) });
  }
}

/** A cookie-authenticated change that did not come from the dashboard's own pages: 403. */
export class CrossSiteRequestError extends ApiError {
  constructor(message: string) {
    super(403, 'cross_site_request', message);
  }
}
