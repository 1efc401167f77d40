import crypto from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import {
  buildDeliveryHeaders,
  DEFAULT_USER_AGENT,
  generateSecret,
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
  SIGNING_VERSION,
  signInboxSignature,
  signStandardWebhook,
  verifyInboxSignature,
  verifyStandardWebhook,
  type DeliveryHeadersInput,
} from './index.js';

const SECRET = 'whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=';
const BODY = '{"id":"evt_1234567890","type":"message.delivered"}';
const base: DeliveryHeadersInput = {
  eventId: 'evt_1234567890',
  eventType: 'message.delivered',
  attempt: 1,
  body: BODY,
  secret: SECRET,
  timestamp: 1736936703,
};

describe('header name constants', () => {
  it('are the lower-case wire names', () => {
    expect([
      HEADER_CONTENT_TYPE,
      HEADER_USER_AGENT,
      HEADER_INBOX_SIGNATURE,
      HEADER_INBOX_SIGNATURE_PREVIOUS,
      HEADER_INBOX_EVENT_ID,
      HEADER_INBOX_EVENT_TYPE,
      HEADER_INBOX_DELIVERY_ATTEMPT,
      HEADER_WEBHOOK_ID,
      HEADER_WEBHOOK_TIMESTAMP,
      HEADER_WEBHOOK_SIGNATURE,
    ]).toEqual([
      'content-type',
      'user-agent',
      'x-inbox-signature',
      'x-inbox-signature-previous',
      'x-inbox-event-id',
      'x-inbox-event-type',
      'x-inbox-delivery-attempt',
      'webhook-id',
      'webhook-timestamp',
      'webhook-signature',
    ]);
  });
});

describe('buildDeliveryHeaders', () => {
  it('returns every delivery header, with fixed independently computed signatures', () => {
    expect(buildDeliveryHeaders({ ...base, attempt: 3 })).toEqual({
      'content-type': 'application/json',
      'user-agent': `Inbox-Webhooks/${SIGNING_VERSION}`,
      'x-inbox-signature': 'sha256=94aa06b386f4d2c034422267f81c71d2640bb896b72a5450d7c3d97866755b45',
      'x-inbox-event-id': 'evt_1234567890',
      'x-inbox-event-type': 'message.delivered',
      'x-inbox-delivery-attempt': '3',
      'webhook-id': 'evt_1234567890',
      'webhook-timestamp': '1736936703',
      'webhook-signature': `v1,${crypto
        .createHmac('sha256', Buffer.from(SECRET.slice(6), 'base64'))
        .update(`evt_1234567890.1736936703.${BODY}`)
        .digest('base64')}`,
    });
    expect(DEFAULT_USER_AGENT).toBe(`Inbox-Webhooks/${SIGNING_VERSION}`);
  });

  it('agrees with signInboxSignature and signStandardWebhook, for string and byte bodies', () => {
    for (const body of [BODY, Buffer.from('{"t":"ünï ✓"}'), new TextEncoder().encode('{"t":"🚀"}')]) {
      const headers = buildDeliveryHeaders({ ...base, body });
      expect(headers['x-inbox-signature']).toBe(signInboxSignature(body, SECRET));
      expect(headers['webhook-signature']).toBe(
        signStandardWebhook({ id: base.eventId, timestamp: 1736936703, body, secret: SECRET }),
      );
    }
  });

  it('is verified by the standardwebhooks package and by our own verifiers', () => {
    const secret = generateSecret();
    const body = '{"id":"evt_42","type":"message.read","data":{"emoji":"👀"}}';
    const headers = buildDeliveryHeaders({
      ...base,
      eventId: 'evt_42',
      eventType: 'message.read',
      body,
      secret,
      timestamp: undefined,
    });
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => verifyStandardWebhook(body, headers, secret)).not.toThrow();
    expect(verifyInboxSignature(body, headers['x-inbox-signature'], secret)).toBe(true);
  });

  it('defaults the timestamp to now, in unix seconds', () => {
    const before = Math.floor(Date.now() / 1000);
    const headers = buildDeliveryHeaders({ ...base, timestamp: undefined });
    const after = Math.floor(Date.now() / 1000);
    const timestamp = Number(headers['webhook-timestamp']);
    expect(timestamp).toBeGreaterThanOrEqual(before);
    expect(timestamp).toBeLessThanOrEqual(after);
  });

  it('sends the same id and x-inbox-signature on every attempt; only attempt, timestamp and webhook-signature change', () => {
    const first = buildDeliveryHeaders({ ...base, attempt: 1, timestamp: 1736936703 });
    const second = buildDeliveryHeaders({ ...base, attempt: 2, timestamp: 1736936733 });
    expect(second['webhook-id']).toBe(first['webhook-id']);
    expect(second['x-inbox-event-id']).toBe(first['x-inbox-event-id']);
    expect(second['x-inbox-signature']).toBe(first['x-inbox-signature']);
    expect(second['x-inbox-delivery-attempt']).toBe('2');
    expect(second['webhook-signature']).not.toBe(first['webhook-signature']);
  });

  it('signs correctly across more secrets than its key cache holds, and twice for each', () => {
    const secrets = Array.from({ length: 1100 }, () => generateSecret());
    for (const round of [1, 2]) {
      for (const secret of secrets) {
        const headers = buildDeliveryHeaders({ ...base, secret, attempt: round });
        const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
        const expected = crypto.createHmac('sha256', key).update(`evt_1234567890.1736936703.${BODY}`).digest('base64');
        expect(headers['webhook-signature']).toBe(`v1,${expected}`);
        expect(headers['x-inbox-signature']).toBe(
          `sha256=${crypto.createHmac('sha256', secret).update(BODY).digest('hex')}`,
        );
      }
    }
  });

  it('takes a custom user agent', () => {
    expect(buildDeliveryHeaders({ ...base, userAgent: 'Inbox-Webhooks/2025.01.15' })['user-agent']).toBe(
      'Inbox-Webhooks/2025.01.15',
    );
  });

  it.each([
    ['attempt 0', { attempt: 0 }, RangeError],
    ['a fractional attempt', { attempt: 1.5 }, RangeError],
    ['a malformed secret', { secret: 'secret' }, TypeError],
    ['a malformed previous secret', { previousSecret: 'whsec_' }, TypeError],
    ['an empty event id', { eventId: '' }, TypeError],
    ['an event id with a newline', { eventId: 'evt_1\r\nx-evil: 1' }, TypeError],
    ['an event type with a space', { eventType: 'message delivered' }, TypeError],
    ['a timestamp in milliseconds with a fraction', { timestamp: 1736936703000.5 }, TypeError],
    ['a user agent with a newline', { userAgent: 'a\nb' }, TypeError],
  ] as const)('throws for %s', (_label, override, type) => {
    expect(() => buildDeliveryHeaders({ ...base, ...override })).toThrow(type);
  });
});

describe('buildDeliveryHeaders during a secret rotation (previousSecret)', () => {
  const previousSecret = 'whsec_ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=';
  const standardSignature = (secret: string) =>
    `v1,${crypto
      .createHmac('sha256', Buffer.from(secret.slice(6), 'base64'))
      .update(`evt_1234567890.1736936703.${BODY}`)
      .digest('base64')}`;
  const inboxSignature = (secret: string) => `sha256=${crypto.createHmac('sha256', secret).update(BODY).digest('hex')}`;

  it('signs with both secrets: two webhook-signature entries (new first), x-inbox-signature new, -previous old', () => {
    const headers = buildDeliveryHeaders({ ...base, previousSecret });
    expect(headers).toEqual({
      ...buildDeliveryHeaders(base),
      'x-inbox-signature': inboxSignature(SECRET),
      'x-inbox-signature-previous': inboxSignature(previousSecret),
      'webhook-signature': `${standardSignature(SECRET)} ${standardSignature(previousSecret)}`,
    });
  });

  it('is verified with either secret by the standardwebhooks package and by our verifiers, header by header', () => {
    const [next, old] = [generateSecret(), generateSecret()];
    const headers = buildDeliveryHeaders({ ...base, secret: next, previousSecret: old, timestamp: undefined });
    for (const secret of [next, old]) {
      expect(new Webhook(secret).verify(BODY, headers)).toEqual(JSON.parse(BODY));
      expect(() => verifyStandardWebhook(BODY, headers, secret)).not.toThrow();
    }
    expect(() => new Webhook(generateSecret()).verify(BODY, headers)).toThrow();
    expect(verifyInboxSignature(BODY, headers['x-inbox-signature'], next)).toBe(true);
    expect(verifyInboxSignature(BODY, headers['x-inbox-signature'], old)).toBe(false);
    expect(verifyInboxSignature(BODY, headers['x-inbox-signature-previous'], old)).toBe(true);
    expect(verifyInboxSignature(BODY, headers['x-inbox-signature-previous'], next)).toBe(false);
  });
});
