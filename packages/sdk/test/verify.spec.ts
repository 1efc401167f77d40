import { generateSecret, signStandardWebhook } from '@inbox/signing';
import { EVENT_TYPES, exampleEvents, type WebhookEvent } from '@inbox/events';
import {
  constructEvent,
  verifySignature,
  WebhookVerificationError,
  type ConstructEventOptions,
  type WebhookVerificationErrorCode,
} from '../src/index.js';
import { constructEventAsync } from '../src/web/index.js';
import type { HeadersLike } from '../src/headers.js';
import type { RawBody } from '../src/event.js';
import { FIXTURE, signedDelivery, without } from './support/fixtures.js';

type Construct = (
  body: RawBody,
  headers: HeadersLike,
  secret: unknown,
  options?: ConstructEventOptions,
) => Promise<WebhookEvent>;

// Every case runs against both verifiers: the node:crypto one and its Web Crypto twin must agree.
const verifiers: Array<[string, Construct]> = [
  ['constructEvent (node:crypto)', async (b, h, s, o) => constructEvent(b, h, s as string, o)],
  ['constructEventAsync (Web Crypto)', (b, h, s, o) => constructEventAsync(b, h, s as string, o)],
];

const fixed = { now: () => FIXTURE.nowMs };

describe.each(verifiers)('%s', (_name, construct) => {
  async function failure(body: RawBody, headers: HeadersLike, secret: unknown, options?: ConstructEventOptions) {
    const error = await construct(body, headers, secret, options).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WebhookVerificationError);
    return error as WebhookVerificationError;
  }

  async function expectCode(code: WebhookVerificationErrorCode, ...args: Parameters<typeof failure>) {
    const error = await failure(...args);
    expect(error.code).toBe(code);
    // Whatever went wrong, the secret never shows up in what an app may log.
    const secret = args[2];
    if (typeof secret === 'string' && secret !== '')
      expect(`${error.message} ${JSON.stringify(error)}`).not.toContain(secret);
    return error;
  }

  describe('accepts', () => {
    it('the independently signed fixture, typed as message.read', async () => {
      const event = await construct(FIXTURE.body, FIXTURE.headers, FIXTURE.secret, fixed);
      expect(event).toEqual(exampleEvents['message.read']);
      if (event.type !== 'message.read') throw new Error('narrowing');
      expect(event.data.read_at).toBe('2025-01-15T10:25:15Z');
    });

    it.each(EVENT_TYPES)('a %s delivery signed as the dispatcher signs it', async (type) => {
      const { secret, body, headers } = signedDelivery({ type });
      await expect(construct(body, headers, secret)).resolves.toEqual(exampleEvents[type]);
    });

    it('the body as Buffer, Uint8Array, ArrayBuffer or string', async () => {
      const buffer = Buffer.from(FIXTURE.body);
      const bytes = new TextEncoder().encode(FIXTURE.body);
      for (const body of [buffer, bytes, bytes.buffer, FIXTURE.body]) {
        await expect(construct(body, FIXTURE.headers, FIXTURE.secret, fixed)).resolves.toMatchObject({
          id: 'evt_1234567891',
        });
      }
    });

    it('headers as a WHATWG Headers, Node IncomingHttpHeaders (arrays) or a record in any case', async () => {
      const mixedCase = Object.fromEntries(Object.entries(FIXTURE.headers).map(([k, v]) => [k.toUpperCase(), v]));
      const nodeStyle = { ...FIXTURE.headers, 'webhook-signature': [FIXTURE.headers['webhook-signature'] as string] };
      for (const headers of [new Headers(FIXTURE.headers), mixedCase, nodeStyle]) {
        await expect(construct(FIXTURE.body, headers, FIXTURE.secret, fixed)).resolves.toMatchObject({
          type: 'message.read',
        });
      }
    });

    it('any of several secrets (rotation), and any of several v1 signatures', async () => {
      await expect(
        construct(FIXTURE.body, FIXTURE.headers, [generateSecret(), FIXTURE.secret], fixed),
      ).resolves.toBeDefined();
      const other = signStandardWebhook({
        id: 'evt_1234567891',
        timestamp: 1736936715,
        body: FIXTURE.body,
        secret: generateSecret(),
      });
      const multi = { ...FIXTURE.headers, 'webhook-signature': `${other} ${FIXTURE.headers['webhook-signature']}` };
      await expect(construct(FIXTURE.body, multi, FIXTURE.secret, fixed)).resolves.toBeDefined();
    });

    it('a delivery signed during a secret rotation, with either secret, on either signature path', async () => {
      const [next, old] = [generateSecret(), generateSecret()];
      const { body, headers } = signedDelivery({ secret: next, previousSecret: old });
      const docsStyle = without(headers, 'webhook-id', 'webhook-timestamp', 'webhook-signature');
      const previousOnly = without(docsStyle, 'x-inbox-signature');
      expect(previousOnly).toHaveProperty('x-inbox-signature-previous');
      for (const secret of [next, old, [old, next]]) {
        await expect(construct(body, headers, secret)).resolves.toMatchObject({ type: 'message.delivered' });
        await expect(construct(body, docsStyle, secret)).resolves.toMatchObject({ type: 'message.delivered' });
      }
      await expect(construct(body, previousOnly, old)).resolves.toMatchObject({ type: 'message.delivered' });
      await expect(construct(body, new Headers(previousOnly), old)).resolves.toMatchObject({
        type: 'message.delivered',
      });
    });

    it('X-Inbox-Signature alone when the Standard Webhooks headers are absent (no clock involved)', async () => {
      const legacy = without(FIXTURE.headers, 'webhook-id', 'webhook-timestamp', 'webhook-signature');
      await expect(construct(FIXTURE.body, legacy, FIXTURE.secret)).resolves.toMatchObject({ id: 'evt_1234567891' });
    });

    it('a timestamp inside a custom tolerance', async () => {
      await expect(
        construct(FIXTURE.body, FIXTURE.headers, FIXTURE.secret, {
          now: () => FIXTURE.nowMs + 3_600_000,
          toleranceSeconds: 3_601,
        }),
      ).resolves.toBeDefined();
    });
  });

  describe('refuses, each with its own code', () => {
    it('a tampered body: invalid_signature', async () => {
      const tampered = FIXTURE.body.replace('+15551234567', '+15559999999');
      await expectCode('invalid_signature', tampered, FIXTURE.headers, FIXTURE.secret, fixed);
    });

    it('a tampered body on the X-Inbox-Signature path: invalid_signature', async () => {
      const legacy = without(FIXTURE.headers, 'webhook-signature');
      await expectCode('invalid_signature', FIXTURE.body.replace('msg_', 'msh_'), legacy, FIXTURE.secret, fixed);
    });

    it('the wrong secret: invalid_signature', async () => {
      await expectCode('invalid_signature', FIXTURE.body, FIXTURE.headers, generateSecret(), fixed);
    });

    it('during a rotation, a secret that is neither the new nor the old one, on either path: invalid_signature', async () => {
      const { body, headers } = signedDelivery({ previousSecret: generateSecret() });
      await expectCode('invalid_signature', body, headers, generateSecret());
      const docsStyle = without(headers, 'webhook-signature');
      await expectCode('invalid_signature', body, docsStyle, generateSecret());
      // X-Inbox-Signature-Previous is the old secret's: the new one finds no match there.
      const current = signedDelivery({ previousSecret: generateSecret() });
      await expectCode(
        'invalid_signature',
        current.body,
        without(current.headers, 'webhook-signature', 'x-inbox-signature'),
        current.secret,
      );
    });

    it('a stale timestamp: timestamp_too_old', async () => {
      const error = await expectCode('timestamp_too_old', FIXTURE.body, FIXTURE.headers, FIXTURE.secret, {
        now: () => FIXTURE.nowMs + 301_000,
      });
      expect(error.message).toContain('301s old');
    });

    it('a timestamp from the future: timestamp_too_new', async () => {
      await expectCode('timestamp_too_new', FIXTURE.body, FIXTURE.headers, FIXTURE.secret, {
        now: () => FIXTURE.nowMs - 301_000,
      });
    });

    it('a replay of a real delivery ten minutes later: timestamp_too_old', async () => {
      const { secret, body, headers } = signedDelivery({ timestamp: Math.floor(Date.now() / 1000) - 600 });
      await expectCode('timestamp_too_old', body, headers, secret);
    });

    it('no signature header at all: missing_header', async () => {
      const bare = without(FIXTURE.headers, 'webhook-signature', 'x-inbox-signature');
      await expectCode('missing_header', FIXTURE.body, bare, FIXTURE.secret, fixed);
      await expectCode('missing_header', FIXTURE.body, {}, FIXTURE.secret, fixed);
      await expectCode('missing_header', FIXTURE.body, new Headers(), FIXTURE.secret, fixed);
    });

    it.each(['webhook-id', 'webhook-timestamp'])('webhook-signature without %s: missing_header', async (name) => {
      await expectCode('missing_header', FIXTURE.body, without(FIXTURE.headers, name), FIXTURE.secret, fixed);
    });

    it('X-Inbox-Signature alone with requireTimestamp: missing_header', async () => {
      const legacy = without(FIXTURE.headers, 'webhook-signature');
      const error = await expectCode('missing_header', FIXTURE.body, legacy, FIXTURE.secret, {
        requireTimestamp: true,
      });
      expect(error.message).toContain('requireTimestamp');
    });

    it('a truncated signature: invalid_signature', async () => {
      const truncated = {
        ...FIXTURE.headers,
        'webhook-signature': (FIXTURE.headers['webhook-signature'] as string).slice(0, 20),
      };
      await expectCode('invalid_signature', FIXTURE.body, truncated, FIXTURE.secret, fixed);
    });

    it('malformed headers: invalid_header', async () => {
      await expectCode(
        'invalid_header',
        FIXTURE.body,
        { ...FIXTURE.headers, 'webhook-timestamp': 'yesterday' },
        FIXTURE.secret,
        fixed,
      );
      await expectCode(
        'invalid_header',
        FIXTURE.body,
        { ...FIXTURE.headers, 'webhook-signature': 'garbage!' },
        FIXTURE.secret,
        fixed,
      );
      const legacy = { 'x-inbox-signature': 'sha256=nothex' };
      await expectCode('invalid_header', FIXTURE.body, legacy, FIXTURE.secret, fixed);
    });

    it('a missing or malformed secret: invalid_secret, before anything else', async () => {
      for (const secret of [undefined, '', [], 'not-a-secret', 'whsec_short', [FIXTURE.secret, 'whsec_!!']]) {
        await expectCode('invalid_secret', FIXTURE.body, {}, secret, fixed);
      }
    });

    it('a signed body that is not JSON: invalid_json', async () => {
      const { secret, body, headers } = signedDelivery({ body: 'not json {' });
      await expectCode('invalid_json', body, headers, secret);
    });

    it('a signed event of an unknown type: unknown_event_type, with the authentic payload', async () => {
      const payload = { id: 'evt_new', type: 'message.reacted', created_at: '2025-01-15T10:25:15Z', data: {} };
      const { secret, body, headers } = signedDelivery({ body: JSON.stringify(payload) });
      const error = await expectCode('unknown_event_type', body, headers, secret);
      expect(error.payload).toEqual(payload);
      expect(error.isAuthentic).toBe(true);
    });

    it('a signed event of a known type with a bad shape: invalid_event, naming the field', async () => {
      const payload = structuredClone(exampleEvents['message.read']) as { data: Record<string, unknown> };
      delete payload.data.read_at;
      const { secret, body, headers } = signedDelivery({ type: 'message.read', body: JSON.stringify(payload) });
      const error = await expectCode('invalid_event', body, headers, secret);
      expect(error.issues).toEqual([expect.objectContaining({ path: 'data.read_at' })]);
      expect(error.payload).toEqual(payload);
    });

    it('a body that is not an object: invalid_event', async () => {
      const { secret, body, headers } = signedDelivery({ body: '[1,2]' });
      await expectCode('invalid_event', body, headers, secret);
    });

    it('refused requests are not authentic (no payload handed out)', async () => {
      const error = await expectCode('invalid_signature', FIXTURE.body, FIXTURE.headers, generateSecret(), fixed);
      expect(error.isAuthentic).toBe(false);
      expect(error.payload).toBeUndefined();
    });
  });

  describe('programming errors', () => {
    it('a parsed body is a TypeError that says to pass the raw body', async () => {
      const parsed = JSON.parse(FIXTURE.body) as RawBody;
      await expect(construct(parsed, FIXTURE.headers, FIXTURE.secret, fixed)).rejects.toThrow(/raw request body/);
      await expect(construct(parsed, FIXTURE.headers, FIXTURE.secret, fixed)).rejects.toBeInstanceOf(TypeError);
    });

    it('a negative tolerance is a RangeError', async () => {
      await expect(
        construct(FIXTURE.body, FIXTURE.headers, FIXTURE.secret, { toleranceSeconds: -1 }),
      ).rejects.toBeInstanceOf(RangeError);
    });
  });
});

// Both verifiers read the headers with @inbox/signing's parser, so they refuse with the same words too.
describe('the node:crypto and Web Crypto verifiers give the same code and message', () => {
  const signature = FIXTURE.headers['webhook-signature'] as string;

  it.each<[string, HeadersLike]>([
    ['a truncated signature', { ...FIXTURE.headers, 'webhook-signature': signature.slice(0, 20) }],
    ['a v1 entry that is not whole base64', { ...FIXTURE.headers, 'webhook-signature': 'v1,a' }],
    ['no v1 entry', { ...FIXTURE.headers, 'webhook-signature': signature.replace('v1,', 'v2,') }],
    ['no entry at all', { ...FIXTURE.headers, 'webhook-signature': 'garbage!' }],
    ['a timestamp that is not unix seconds', { ...FIXTURE.headers, 'webhook-timestamp': 'yesterday' }],
    ['two different ids', { ...FIXTURE.headers, 'webhook-id': ['evt_1', 'evt_2'] }],
    ['no webhook-id', without(FIXTURE.headers, 'webhook-id')],
    ['a malformed X-Inbox-Signature alone', { 'x-inbox-signature': 'sha256=nothex' }],
    ['a wrong X-Inbox-Signature alone', { 'x-inbox-signature': `sha256=${'0'.repeat(64)}` }],
  ])('%s', async (_what, headers) => {
    const outcomes = await Promise.all(
      verifiers.map(([, construct]) =>
        construct(FIXTURE.body, headers, FIXTURE.secret, fixed).then(
          () => 'accepted',
          (error: WebhookVerificationError) => ({ code: error.code, message: error.message }),
        ),
      ),
    );
    expect(outcomes[0]).toEqual({ code: expect.any(String), message: expect.any(String) });
    expect(outcomes[1]).toEqual(outcomes[0]);
  });
});

describe('verifySignature (the docs scheme) during a secret rotation', () => {
  it('takes X-Inbox-Signature with the new secret and X-Inbox-Signature-Previous with the old, or both secrets for either', () => {
    const [next, old] = [generateSecret(), generateSecret()];
    const { body, headers } = signedDelivery({ secret: next, previousSecret: old });
    expect(verifySignature(body, headers['x-inbox-signature'], next)).toBe(true);
    expect(verifySignature(body, headers['x-inbox-signature-previous'], old)).toBe(true);
    expect(verifySignature(body, headers['x-inbox-signature'], old)).toBe(false);
    expect(verifySignature(body, headers['x-inbox-signature-previous'], next)).toBe(false);
    for (const header of [headers['x-inbox-signature'], headers['x-inbox-signature-previous']]) {
      expect(verifySignature(body, header, [old, next])).toBe(true);
    }
  });
});
