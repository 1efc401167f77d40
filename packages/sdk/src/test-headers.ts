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
  isValidSecret,
} from '@inbox/signing/web';
import { bodyBytes, isRawBody, type RawBody } from './event.js';

export interface GenerateTestHeadersOptions {
  /**
   * The body your test sends: a string or bytes, signed as they are; or an event object, signed as
   * `JSON.stringify(payload)` (send exactly that string).
   */
  payload: RawBody | Record<string, unknown>;
  /** A `whsec_…` secret: the one the handler under test verifies with. */
  secret: string;
  /** `webhook-timestamp`: unix seconds, or a Date. Default: now. An old one tests your replay check. */
  timestamp?: number | Date;
  /** `webhook-id` and `X-Inbox-Event-Id`. Default: the payload's `id`, else a random `evt_test_…`. */
  eventId?: string;
  /** `X-Inbox-Event-Type`. Default: the payload's `type` (required when it has none). */
  eventType?: string;
  /** `X-Inbox-Delivery-Attempt`, from 1. Default 1. */
  attempt?: number;
}

/** What to sign, checked: the body's bytes and every header value. */
export interface TestDelivery {
  body: Uint8Array;
  secret: string;
  eventId: string;
  eventType: string;
  attempt: number;
  timestamp: number;
}

const CALLER = 'generateTestHeaders';
/** Visible ASCII, as a header value (and the signed `<id>.<timestamp>.` prefix) must be. */
const HEADER_TOKEN = /^[\x21-\x7e]+$/;

/** The `id` and `type` of a JSON object payload, when it has them. */
function envelopeOf(payload: RawBody | Record<string, unknown>): { id?: unknown; type?: unknown } {
  if (!isRawBody(payload)) return payload;
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(bodyBytes(payload)));
    return parsed !== null && typeof parsed === 'object' ? parsed : {};
  } catch {
    return {};
  }
}

function randomEventId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return `evt_test_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function headerToken(value: unknown, name: string): string {
  if (typeof value !== 'string' || !HEADER_TOKEN.test(value)) {
    throw new TypeError(`${CALLER}: ${name} must be a non-empty string of visible ASCII, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Checks the options of generateTestHeaders and fills in the defaults; a TypeError names what is wrong. */
export function testDelivery(options: GenerateTestHeadersOptions): TestDelivery {
  const { payload, secret, attempt = 1 } = options ?? ({} as GenerateTestHeadersOptions);
  if (!isValidSecret(secret)) {
    throw new TypeError(`${CALLER}: secret must be a webhook secret ("whsec_" and base64 of 24 to 64 bytes), the one your handler verifies with`);
  }
  let body: Uint8Array;
  if (isRawBody(payload)) body = bodyBytes(payload);
  else if (payload !== null && typeof payload === 'object') body = new TextEncoder().encode(JSON.stringify(payload));
  else throw new TypeError(`${CALLER}: payload must be the body (a string or bytes) or an event object`);
  const envelope = envelopeOf(payload);
  const eventId = headerToken(options.eventId ?? (typeof envelope.id === 'string' ? envelope.id : randomEventId()), 'eventId');
  const eventType = headerToken(options.eventType ?? envelope.type, 'eventType (the payload has no type: pass eventType)');
  if (!Number.isSafeInteger(attempt) || attempt < 1) throw new TypeError(`${CALLER}: attempt counts from 1, got ${String(attempt)}`);
  const time = options.timestamp ?? new Date();
  const timestamp = time instanceof Date ? Math.floor(time.getTime() / 1000) : time;
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new TypeError(`${CALLER}: timestamp must be unix time in whole seconds or a Date, got ${String(options.timestamp)}`);
  }
  return { body, secret, eventId, eventType, attempt, timestamp };
}

/**
 * The headers of a delivery, lower-case names, given its two signatures (`sha256=<hex>` and
 * `v1,<base64>`): as @inbox/signing's buildDeliveryHeaders writes them.
 */
export function deliveryHeaders(delivery: TestDelivery, signatures: { inbox: string; standard: string }) {
  return {
    [HEADER_CONTENT_TYPE]: 'application/json',
    [HEADER_USER_AGENT]: DEFAULT_USER_AGENT,
    [HEADER_INBOX_SIGNATURE]: signatures.inbox,
    [HEADER_INBOX_EVENT_ID]: delivery.eventId,
    [HEADER_INBOX_EVENT_TYPE]: delivery.eventType,
    [HEADER_INBOX_DELIVERY_ATTEMPT]: String(delivery.attempt),
    [HEADER_WEBHOOK_ID]: delivery.eventId,
    [HEADER_WEBHOOK_TIMESTAMP]: String(delivery.timestamp),
    [HEADER_WEBHOOK_SIGNATURE]: signatures.standard,
  };
}

/** The headers of a delivery, lower-case names, as Inbox sends them. */
export type TestHeaders = ReturnType<typeof deliveryHeaders>;
