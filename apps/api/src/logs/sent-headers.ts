import {
  DEFAULT_USER_AGENT,
  HEADER_CONTENT_TYPE,
  HEADER_INBOX_DELIVERY_ATTEMPT,
  HEADER_INBOX_EVENT_ID,
  HEADER_INBOX_EVENT_TYPE,
  HEADER_INBOX_SIGNATURE,
  HEADER_USER_AGENT,
  HEADER_WEBHOOK_ID,
  HEADER_WEBHOOK_SIGNATURE,
  HEADER_WEBHOOK_TIMESTAMP,
} from '@inbox/signing';
import { NOTHING_SENT, type AttemptLogEntry } from '@inbox/db';

/** Attempts that sent no request: nothing to show. */
const NOT_SENT = new Set<string>(NOTHING_SENT);

/**
 * The headers an attempt was sent with, rebuilt: every value follows from the event and the attempt
 * number (the dispatcher's buildDeliveryHeaders), except the signing time and the signatures, which
 * are not stored (null). A rotated secret's `x-inbox-signature-previous` is not listed: whether one
 * still signed then is not stored either. Null when the attempt sent nothing.
 */
export function sentHeaders(attempt: Pick<AttemptLogEntry, 'eventId' | 'eventType' | 'attemptNumber' | 'error'>): Record<string, string | null> | null {
  if (attempt.error !== null && NOT_SENT.has(attempt.error)) return null;
  return {
    [HEADER_CONTENT_TYPE]: 'application/json',
    [HEADER_USER_AGENT]: DEFAULT_USER_AGENT,
    [HEADER_INBOX_SIGNATURE]: null,
    [HEADER_INBOX_EVENT_ID]: attempt.eventId,
    [HEADER_INBOX_EVENT_TYPE]: attempt.eventType,
    [HEADER_INBOX_DELIVERY_ATTEMPT]: String(attempt.attemptNumber),
    [HEADER_WEBHOOK_ID]: attempt.eventId,
    [HEADER_WEBHOOK_TIMESTAMP]: null,
    [HEADER_WEBHOOK_SIGNATURE]: null,
  };
}
