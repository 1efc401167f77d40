/** One problem with a request, as the API reports it: the field's dotted path and what is wrong. */
export interface ApiErrorDetail {
  path: string;
  message: string;
}

export interface InboxApiErrorInit {
  status: number;
  code: string;
  message: string;
  details?: ApiErrorDetail[] | undefined;
  requestId?: string | undefined;
  headers?: Headers | undefined;
}

/**
 * The API answered with an error: `status`, and `code`/`message`/`details` from its body
 * `{"error": {"code", "message", "details"}}`. Subclasses by status let you `catch` by kind.
 */
export class InboxApiError extends Error {
  override name = 'InboxApiError';
  readonly status: number;
  /** Machine-readable reason, e.g. `not_found`, `validation_failed`, `rate_limited`. */
  readonly code: string;
  /** Per-field problems (validation errors). */
  readonly details: ApiErrorDetail[] | undefined;
  /** The request id the API returned (the `X-Request-Id` header, else the body's `error.request_id`), if any: quote it to support. */
  readonly requestId: string | undefined;
  /** The response headers. */
  readonly headers: Headers | undefined;

  constructor(init: InboxApiErrorInit) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.details = init.details;
    this.requestId = init.requestId;
    this.headers = init.headers;
  }
}

/** 401: the API key is missing, wrong or revoked. */
export class AuthenticationError extends InboxApiError {
  override name = 'AuthenticationError';
}

/** 404: no such webhook or event in this account (another account's ids are 404 too). */
export class NotFoundError extends InboxApiError {
  override name = 'NotFoundError';
}

/** 400 or 422: a parameter or the body is invalid; `details` names each field. */
export class ValidationError extends InboxApiError {
  override name = 'ValidationError';
}

/** 409: the request conflicts with the current state (e.g. the webhook limit, a disabled webhook). */
export class ConflictError extends InboxApiError {
  override name = 'ConflictError';
}

/** 429: too many requests. `retryAfterSeconds` is when to try again (from `Retry-After`). */
export class RateLimitError extends InboxApiError {
  override name = 'RateLimitError';
  readonly retryAfterSeconds: number | undefined;

  constructor(init: InboxApiErrorInit & { retryAfterSeconds: number | undefined }) {
    super(init);
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

/** 5xx: the API failed. Retried automatically (`maxRetries`) before this is thrown. */
export class ServerError extends InboxApiError {
  override name = 'ServerError';
}

/** No answer: the connection failed, or was aborted. Retried automatically before this is thrown. */
export class InboxConnectionError extends Error {
  override name = 'InboxConnectionError';
}

/** No answer within `timeoutMs`. Retried automatically before this is thrown. */
export class InboxTimeoutError extends InboxConnectionError {
  override name = 'InboxTimeoutError';
}

/** The error for a failed response, by status. */
export function apiErrorFor(init: InboxApiErrorInit, retryAfterSeconds: number | undefined): InboxApiError {
  const { status } = init;
  if (status === 401) return new AuthenticationError(init);
  if (status === 404) return new NotFoundError(init);
  if (status === 400 || status === 422) return new ValidationError(init);
  if (status === 409) return new ConflictError(init);
  if (status === 429) return new RateLimitError({ ...init, retryAfterSeconds });
  if (status >= 500) return new ServerError(init);
  return new InboxApiError(init);
}
