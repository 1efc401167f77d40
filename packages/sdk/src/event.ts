import { formatIssues, isEventType, webhookEventSchema, type WebhookEvent } from '@inbox/events';
import { WebhookVerificationError } from '@inbox/signing/web';

/** A raw request body as the frameworks give it: the exact bytes, or a string of them. */
export type RawBody = string | Uint8Array | ArrayBuffer;

/** The body as bytes, unchanged (a string is taken as UTF-8, as the platform sends it). */
export function bodyBytes(body: RawBody): Uint8Array {
  if (typeof body === 'string') return new TextEncoder().encode(body);
  if (isArrayBuffer(body)) return new Uint8Array(body);
  return body;
}

// Tag checks rather than `instanceof`: a Buffer made in another realm (vm contexts, test runners,
// iframes) is not an instance of this realm's Uint8Array.
function isArrayBuffer(x: unknown): x is ArrayBuffer {
  return Object.prototype.toString.call(x) === '[object ArrayBuffer]';
}

function isBytes(x: unknown): x is Uint8Array {
  return ArrayBuffer.isView(x) && Object.prototype.toString.call(x) === '[object Uint8Array]';
}

/** Whether `x` is a raw body: a string, a Uint8Array (Buffer included) or an ArrayBuffer. */
export function isRawBody(x: unknown): x is RawBody {
  return typeof x === 'string' || isBytes(x) || isArrayBuffer(x);
}

/** Throws a TypeError when `body` is not raw bytes, naming the usual cause (a parsed JSON body). */
export function assertRawBody(body: unknown, caller: string): asserts body is RawBody {
  if (isRawBody(body)) return;
  const got = body === null ? 'null' : typeof body;
  throw new TypeError(
    `${caller}: the body must be the raw request body (a Buffer, Uint8Array or string), got ${got}. ` +
      'A JSON body parser ran first and replaced it with an object: verify the exact bytes received ' +
      "(Express: express.raw({ type: 'application/json' }) on this route; NestJS: rawBody: true and req.rawBody).",
  );
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses and validates a body whose signature has already been checked. Throws
 * `WebhookVerificationError` with `invalid_json`, `unknown_event_type` or `invalid_event`;
 * the last two carry the parsed `payload` (it is authentic, just not an event this version knows).
 */
export function parseVerifiedEvent(body: RawBody): WebhookEvent {
  let payload: unknown;
  try {
    payload = JSON.parse(typeof body === 'string' ? body : utf8.decode(bodyBytes(body)));
  } catch (cause) {
    throw new WebhookVerificationError('invalid_json', 'the request body is not valid UTF-8 JSON', { cause });
  }

  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new WebhookVerificationError('invalid_event', 'the request body is not a JSON object', { payload });
  }
  const type = (payload as { type?: unknown }).type;
  if (typeof type === 'string' && !isEventType(type)) {
    throw new WebhookVerificationError(
      'unknown_event_type',
      `event type ${JSON.stringify(type.slice(0, 100))} is not known to this version of @inbox/sdk: upgrade it to type this event`,
      { payload },
    );
  }

  const parsed = webhookEventSchema.safeParse(payload);
  if (!parsed.success) {
    const issues = formatIssues(parsed.error);
    const summary = issues
      .slice(0, 5)
      .map((issue) => `${issue.path || '(root)'}: ${issue.message}`)
      .join('; ');
    throw new WebhookVerificationError('invalid_event', `the event does not match its schema: ${summary}`, {
      payload,
      issues,
    });
  }
  return parsed.data;
}
