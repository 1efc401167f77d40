import { buildDeliveryHeaders, generateSecret } from '@inbox/signing';
import { exampleEvents, type EventType } from '@inbox/events';

/**
 * A request signed independently of the code under test (openssl, see the comment below), so a
 * bug shared by @inbox/signing and the SDK cannot hide. The body is the docs' `message.read` example.
 *
 *   KEY=$(echo -n MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw | base64 -d | xxd -p -c 256)
 *   echo -n "evt_1234567891.1736936715.$BODY" | openssl dgst -sha256 -mac HMAC -macopt hexkey:$KEY -binary | base64
 *   echo -n "$BODY" | openssl dgst -sha256 -hmac whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
 */
export const FIXTURE = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  body:
    '{"id":"evt_1234567891","type":"message.read","created_at":"2025-01-15T10:25:15Z","data":' +
    '{"message_id":"msg_1234567890","to":"+15551234567","read_at":"2025-01-15T10:25:15Z","device_id":"dev_abcdef123456"}}',
  /** 2025-01-15T10:25:15Z, in ms: the clock to verify the fixture with. */
  nowMs: 1_736_936_715_000,
  headers: {
    'content-type': 'application/json',
    'x-inbox-signature': 'sha256=0e5ab3525245ca30976d298fd078c89cb38df40170f3c5ae3bfefb3105a3832d',
    'x-inbox-event-id': 'evt_1234567891',
    'x-inbox-event-type': 'message.read',
    'x-inbox-delivery-attempt': '1',
    'webhook-id': 'evt_1234567891',
    'webhook-timestamp': '1736936715',
    'webhook-signature': 'v1,G/Py/Tnt8C1BOEN3TnyxVX4yYCMqgoMh4yZlphZxOkc=',
  } as Record<string, string>,
} as const;

/**
 * A delivery signed exactly as the dispatcher signs it (`buildDeliveryHeaders` over the stored bytes);
 * with `previousSecret`, as it signs while a rotated secret still overlaps.
 */
export function signedDelivery(
  options: {
    type?: EventType;
    secret?: string;
    previousSecret?: string;
    body?: string;
    timestamp?: number;
    attempt?: number;
  } = {},
) {
  const type = options.type ?? 'message.delivered';
  const secret = options.secret ?? generateSecret();
  const body = options.body ?? JSON.stringify(exampleEvents[type]);
  const eventId = (() => {
    try {
      return (JSON.parse(body) as { id?: string }).id ?? 'evt_unknown';
    } catch {
      return 'evt_not_json';
    }
  })();
  const headers = buildDeliveryHeaders({
    eventId,
    eventType: type,
    attempt: options.attempt ?? 1,
    body,
    secret,
    previousSecret: options.previousSecret,
    timestamp: options.timestamp ?? Math.floor(Date.now() / 1000),
  });
  return { secret, body, headers };
}

/** Headers without the named ones. */
export function without(headers: Record<string, string>, ...names: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !names.includes(name)));
}
