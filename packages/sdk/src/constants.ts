// Wire constants, kept here rather than imported from @inbox/signing so that the Web entry
// (`@inbox/sdk/web`) never pulls in node:crypto. A unit test asserts they equal @inbox/signing's.

/** How far `webhook-timestamp` may be from the receiver's clock, either way: 5 minutes. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** Every webhook secret starts with this (the Standard Webhooks convention). */
export const SECRET_PREFIX = 'whsec_';

/** Prefix of the `X-Inbox-Signature` value. */
export const INBOX_SIGNATURE_PREFIX = 'sha256=';

// Header names, lower-case.
export const HEADER_INBOX_SIGNATURE = 'x-inbox-signature';
export const HEADER_INBOX_EVENT_ID = 'x-inbox-event-id';
export const HEADER_INBOX_EVENT_TYPE = 'x-inbox-event-type';
export const HEADER_INBOX_DELIVERY_ATTEMPT = 'x-inbox-delivery-attempt';
export const HEADER_WEBHOOK_ID = 'webhook-id';
export const HEADER_WEBHOOK_TIMESTAMP = 'webhook-timestamp';
export const HEADER_WEBHOOK_SIGNATURE = 'webhook-signature';
