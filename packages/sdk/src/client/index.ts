export { Inbox, Events } from './inbox.js';
export { Webhooks } from './webhooks.js';
export { EventTypes } from './event-types.js';
export { PagedList } from './pagination.js';
export { DEFAULT_BASE_URL, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS } from './http.js';
export type { InboxClientOptions, RequestOptions } from './http.js';
export {
  InboxApiError,
  AuthenticationError,
  NotFoundError,
  ValidationError,
  ConflictError,
  RateLimitError,
  ServerError,
  InboxConnectionError,
  InboxTimeoutError,
} from './errors.js';
export type { ApiErrorDetail } from './errors.js';
export type * from './types.js';
