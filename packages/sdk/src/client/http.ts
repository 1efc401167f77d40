import { SDK_VERSION } from '../version.js';
import { apiErrorFor, InboxApiError, InboxConnectionError, InboxTimeoutError, type ApiErrorDetail } from './errors.js';
import { backoffMs, isRetryableStatus, parseRetryAfter, sleep } from './retry.js';

export const DEFAULT_BASE_URL = 'https://api.getinbox.app';
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RETRIES = 2;
/** A `Retry-After` longer than this is not waited for: the error is thrown at once. */
export const DEFAULT_MAX_RETRY_DELAY_MS = 60_000;

export interface InboxClientOptions {
  /** API origin. Default `https://api.getinbox.app`. */
  baseUrl?: string;
  /** Per attempt, in milliseconds. Default 30 000. */
  timeoutMs?: number;
  /** Retries after the first attempt on 429, 5xx, timeouts and network errors. Default 2. */
  maxRetries?: number;
  /** Longest `Retry-After` to wait for before retrying, in milliseconds. Default 60 000. */
  maxRetryDelayMs?: number;
  /** A `fetch` to use instead of the global one (tests, proxies, instrumentation). */
  fetch?: typeof fetch;
}

/** Per-call overrides. */
export interface RequestOptions {
  /** Cancels the call (no retry after an abort). */
  signal?: AbortSignal;
  timeoutMs?: number;
  maxRetries?: number;
  /** `Idempotency-Key` for a POST. Default: a random UUID, the same on every retry of the call. */
  idempotencyKey?: string;
}

export type QueryValue = string | number | Date | undefined;

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown; request_id?: unknown };
}

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`Inbox: ${name} must be a number >= 0, got ${String(value)}`);
  }
  return value;
}

/** The JSON-over-HTTP transport: auth, timeouts, retries with backoff, idempotency keys, typed errors. */
export class HttpClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly maxRetryDelayMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(
    private readonly apiKey: string,
    options: InboxClientOptions = {},
  ) {
    if (typeof apiKey !== 'string' || apiKey.trim() === '') {
      throw new TypeError(
        'Inbox: an API key is required (new Inbox(process.env.INBOX_API_KEY, …); is the variable set?)',
      );
    }
    this.baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    if (!/^https?:\/\//.test(this.baseUrl))
      throw new TypeError(`Inbox: baseUrl must be an http(s) URL, got ${this.baseUrl}`);
    this.timeoutMs = nonNegative(options.timeoutMs, DEFAULT_TIMEOUT_MS, 'timeoutMs');
    this.maxRetries = Math.floor(nonNegative(options.maxRetries, DEFAULT_MAX_RETRIES, 'maxRetries'));
    this.maxRetryDelayMs = nonNegative(options.maxRetryDelayMs, DEFAULT_MAX_RETRY_DELAY_MS, 'maxRetryDelayMs');
    const fetchImpl = options.fetch ?? globalThis.fetch;
    if (typeof fetchImpl !== 'function') throw new TypeError('Inbox: no fetch available; pass options.fetch');
    this.fetchImpl = fetchImpl;
  }

  url(path: string, query: Record<string, QueryValue> = {}): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined) continue;
      params.set(key, value instanceof Date ? value.toISOString() : String(value));
    }
    const search = params.toString();
    return `${this.baseUrl}${path}${search ? `?${search}` : ''}`;
  }

  async request<T>(spec: RequestSpec, options: RequestOptions = {}): Promise<T> {
    const maxRetries = Math.floor(nonNegative(options.maxRetries, this.maxRetries, 'maxRetries'));
    const timeoutMs = nonNegative(options.timeoutMs, this.timeoutMs, 'timeoutMs');
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.apiKey}`,
      accept: 'application/json',
      'user-agent': `inbox-sdk-js/${SDK_VERSION}`,
    };
    if (spec.body !== undefined) headers['content-type'] = 'application/json';
    // One key for the whole call: a retry of a POST whose answer was lost replays, never repeats.
    if (spec.method === 'POST') headers['idempotency-key'] = options.idempotencyKey ?? crypto.randomUUID();
    const init = {
      method: spec.method,
      headers,
      body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
    };
    const url = this.url(spec.path, spec.query);
    const what = `${spec.method} ${spec.path}`;

    for (let retry = 0; ; retry++) {
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
      let response: Response;
      let text: string;
      try {
        response = await this.fetchImpl(url, { ...init, signal });
        text = await response.text();
      } catch (cause) {
        if (options.signal?.aborted) throw options.signal.reason ?? cause;
        const failure = timeout.aborted
          ? new InboxTimeoutError(`${what}: no answer within ${timeoutMs} ms`, { cause })
          : new InboxConnectionError(`${what}: ${(cause as Error)?.message ?? 'the request failed'}`, { cause });
        if (retry >= maxRetries) throw failure;
        await sleep(backoffMs(retry), options.signal);
        continue;
      }

      if (response.ok) return parseSuccess<T>(response, text, what);

      const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
      const error = apiErrorFor(errorInit(response, text), retryAfter);
      // 409 idempotency_request_in_progress: our own earlier attempt of this call is still running.
      const retryable = isRetryableStatus(response.status) || error.code === 'idempotency_request_in_progress';
      const delay = retryAfter !== undefined ? retryAfter * 1000 : backoffMs(retry);
      if (!retryable || retry >= maxRetries || delay > this.maxRetryDelayMs) throw error;
      await sleep(delay, options.signal);
    }
  }
}

function parseSuccess<T>(response: Response, text: string, what: string): T {
  if (response.status === 204 || text === '') return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new InboxApiError({
      status: response.status,
      code: 'invalid_response',
      message: `${what}: the API answered ${response.status} with a body that is not JSON`,
      headers: response.headers,
    });
  }
}

/** status, code, message and details from an error answer; a non-JSON body (a proxy's page) still gives a useful error. */
function errorInit(response: Response, text: string) {
  let body: ErrorBody | undefined;
  try {
    body = JSON.parse(text) as ErrorBody;
  } catch {
    body = undefined;
  }
  const error = body?.error;
  const code = typeof error?.code === 'string' ? error.code : `http_${response.status}`;
  const message =
    typeof error?.message === 'string'
      ? error.message
      : `HTTP ${response.status} ${response.statusText}`.trim() + (text ? `: ${text.slice(0, 200)}` : '');
  const details = Array.isArray(error?.details) ? (error.details as ApiErrorDetail[]) : undefined;
  const requestId =
    response.headers.get('x-request-id') ??
    response.headers.get('request-id') ??
    (typeof error?.request_id === 'string' ? error.request_id : undefined);
  return { status: response.status, code, message, details, requestId, headers: response.headers };
}
