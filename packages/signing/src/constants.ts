/** Version of the Inbox webhook wire format, sent as `User-Agent: Inbox-Webhooks/<version>`. */
export const SIGNING_VERSION = '1.0';
export const DEFAULT_USER_AGENT = `Inbox-Webhooks/${SIGNING_VERSION}`;

/** Every webhook secret starts with this (the Standard Webhooks convention). */
export const SECRET_PREFIX = 'whsec_';
/** Random bytes in a secret made by `generateSecret`. */
export const SECRET_BYTES = 32;

/** Prefix of the `X-Inbox-Signature` value. */
export const INBOX_SIGNATURE_PREFIX = 'sha256=';

/** How far `webhook-timestamp` may be from the receiver's clock, either way: 5 minutes. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

// Header names, lower-case (HTTP header names are case-insensitive; Node and fetch lower-case them).
export const HEADER_CONTENT_TYPE = 'content-type';
export const HEADER_USER_AGENT = 'user-agent';
export const HEADER_INBOX_SIGNATURE = 'x-inbox-signature';
/** `X-Inbox-Signature` made with the secret a rotation replaced, sent while that secret still signs. */
export const HEADER_INBOX_SIGNATURE_PREVIOUS = 'x-inbox-signature-previous';
export const HEADER_INBOX_EVENT_ID = 'x-inbox-event-id';
export const HEADER_INBOX_EVENT_TYPE = 'x-inbox-event-type';
export const HEADER_INBOX_DELIVERY_ATTEMPT = 'x-inbox-delivery-attempt';
export const HEADER_WEBHOOK_ID = 'webhook-id';
export const HEADER_WEBHOOK_TIMESTAMP = 'webhook-timestamp';
export const HEADER_WEBHOOK_SIGNATURE = 'webhook-signature';
