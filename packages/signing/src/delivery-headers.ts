import { createHmac } from 'node:crypto';
import {
  DEFAULT_USER_AGENT,
  HEADER_CONTENT_TYPE,
  HEADER_INBOX_DELIVERY_ATTEMPT,
  HEADER_INBOX_EVENT_ID,
  HEADER_INBOX_EVENT_TYPE,
  HEADER_INBOX_SIGNATURE,
  HEADER_INBOX_SIGNATURE_PREVIOUS,
  HEADER_USER_AGENT,
  HEADER_WEBHOOK_ID,
  HEADER_WEBHOOK_SIGNATURE,
  HEADER_WEBHOOK_TIMESTAMP,
  INBOX_SIGNATURE_PREFIX,
} from './constants.js';
import type { SecretKeys } from './secret.js';
import { checkTimestamp, signingKeys, standardWebhookDigest } from './standard-webhooks.js';

export interface DeliveryHeadersInput {
  /** The event id (`evt_…`): `x-inbox-event-id` and `webhook-id`. */
  eventId: string;
  /** The event type, e.g. `message.delivered`. */
  eventType: string;
  /** 1-based attempt number. */
  attempt: number;
  /** The exact body bytes that will be sent (a string is taken as UTF-8). */
  body: string | Uint8Array;
  /** The webhook's `whsec_…` secret. */
  secret: string;
  /**
   * The secret a rotation replaced, while it still signs: its signature follows the new secret's
   * in `webhook-signature` (space-separated), and signs `x-inbox-signature-previous`.
   */
  previousSecret?: string;
  /** `webhook-timestamp`, unix seconds. Default: now. */
  timestamp?: number;
  /** The whole `user-agent` value. Default `Inbox-Webhooks/<SIGNING_VERSION>`. */
  userAgent?: string;
}

/** Visible ASCII only: the value goes into an HTTP header (and, for the id, into a signed string). */
const HEADER_TOKEN = /^[\x21-\x7e]+$/;

/**
 * Every header of one delivery attempt, lower-case names: content type, user agent, the Inbox headers
 * (`x-inbox-signature`, event id/type, attempt) and the Standard Webhooks ones (`webhook-id`,
 * `webhook-timestamp`, `webhook-signature`); with a `previousSecret`, its signatures too.
 * Throws a TypeError/RangeError on a bad argument.
 */
export function buildDeliveryHeaders(input: DeliveryHeadersInput): Record<string, string> {
  const { eventId, eventType, attempt, body, secret, userAgent = DEFAULT_USER_AGENT } = input;
  const keys = signingKeys(secret, 'buildDeliveryHeaders');
  const previousKeys =
    input.previousSecret === undefined
      ? undefined
      : signingKeys(input.previousSecret, 'buildDeliveryHeaders (previousSecret)');
  if (typeof eventId !== 'string' || !HEADER_TOKEN.test(eventId)) {
    throw new TypeError('buildDeliveryHeaders: eventId must be a non-empty string of visible ASCII');
  }
  if (typeof eventType !== 'string' || !HEADER_TOKEN.test(eventType)) {
    throw new TypeError('buildDeliveryHeaders: eventType must be a non-empty string of visible ASCII');
  }
  if (!Number.isSafeInteger(attempt) || attempt < 1) {
    throw new RangeError(`buildDeliveryHeaders: attempt is 1-based, got ${String(attempt)}`);
  }
  const timestamp = input.timestamp ?? Math.floor(Date.now() / 1000);
  checkTimestamp(timestamp, 'buildDeliveryHeaders');
  if (typeof userAgent !== 'string' || /[\r\n]/.test(userAgent)) {
    throw new TypeError('buildDeliveryHeaders: userAgent must be a single-line string');
  }

  // Encode the body once; every HMAC reads the same bytes.
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const sign = (k: SecretKeys) => ({
    inbox: INBOX_SIGNATURE_PREFIX + createHmac('sha256', k.inbox).update(bytes).digest('hex'),
    standard: `v1,${standardWebhookDigest(k.standard, eventId, timestamp, bytes).toString('base64')}`,
  });
  const current = sign(keys);
  const previous = previousKeys && sign(previousKeys);

  return {
    [HEADER_CONTENT_TYPE]: 'application/json',
    [HEADER_USER_AGENT]: userAgent,
    [HEADER_INBOX_SIGNATURE]: current.inbox,
    ...(previous && { [HEADER_INBOX_SIGNATURE_PREVIOUS]: previous.inbox }),
    [HEADER_INBOX_EVENT_ID]: eventId,
    [HEADER_INBOX_EVENT_TYPE]: eventType,
    [HEADER_INBOX_DELIVERY_ATTEMPT]: String(attempt),
    [HEADER_WEBHOOK_ID]: eventId,
    [HEADER_WEBHOOK_TIMESTAMP]: String(timestamp),
    // Standard Webhooks' rotation form: several signatures, space-separated; the new secret's first.
    [HEADER_WEBHOOK_SIGNATURE]: previous ? `${current.standard} ${previous.standard}` : current.standard,
  };
}
