// What every entry point exports besides its verifier: errors, the handler map, the API client,
// and the event types (from @inbox/events, the schemas the platform validates with).
export { RawBodyError } from './raw-body-error.js';
export { createHandler, WebhookHandler } from './handler.js';
export type { EventHandler, EventHandlerMap, HandleResult, UnknownEvent, WebhookHandlerOptions } from './handler.js';
export type { ConstructEventOptions, WebhookSecrets } from './options.js';
export type { HeadersLike } from './headers.js';
export type { RawBody } from './event.js';
// WebhookVerificationError is @inbox/signing's own class (a dependency, not bundled), so an error
// from either package is `instanceof` the class imported from either.
export {
  WebhookVerificationError,
  WEBHOOK_VERIFICATION_ERROR_CODES,
  DEFAULT_TOLERANCE_SECONDS,
  HEADER_INBOX_DELIVERY_ATTEMPT,
  HEADER_INBOX_EVENT_ID,
  HEADER_INBOX_EVENT_TYPE,
  HEADER_INBOX_SIGNATURE,
  HEADER_INBOX_SIGNATURE_PREVIOUS,
  HEADER_WEBHOOK_ID,
  HEADER_WEBHOOK_SIGNATURE,
  HEADER_WEBHOOK_TIMESTAMP,
} from '@inbox/signing/web';
export type { WebhookVerificationErrorCode } from '@inbox/signing/web';
export { EVENT_TYPES, MESSAGE_EVENT_TYPES, isEventType } from '@inbox/events';
export type {
  EventType,
  WebhookEvent,
  EventOfType,
  EventData,
  MessageDeliveredEvent,
  MessageReadEvent,
  MessageFailedEvent,
  MessageActionEvent,
  WebhookDisabledEvent,
} from '@inbox/events';
export * from './client/index.js';
