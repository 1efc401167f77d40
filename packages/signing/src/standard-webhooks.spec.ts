import crypto from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import {
  DEFAULT_TOLERANCE_SECONDS,
  generateSecret,
  signStandardWebhook,
  verifyStandardWebhook,
  VERIFICATION_ERROR_CODES,
  WEBHOOK_VERIFICATION_ERROR_CODES,
  WebhookVerificationError,
  type HeadersInput,
  type VerificationErrorCode,
} from './index.js';

const BODY = '{"id":"evt_1234567890","type":"message.delivered","data":{"text":"héllo ✓"}}';
const ID = 'evt_1234567890';
const NOW_MS = 1_736_936_703_000; // 2025-01-15T10:25:03Z
const NOW_S = NOW_MS / 1000;
const now = () => NOW_MS;

function headersFor(secret: string, { id = ID, timestamp = NOW_S, body = BODY as string | Uint8Array } = {}) {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signStandardWebhook({ id, timestamp, body, secret }),
  };
}

/** The error `verifyStandardWebhook` throws (fails the test if it does not). */
function failure(...args: Parameters<typeof verifyStandardWebhook>): WebhookVerificationError {
  try {
    verifyStandardWebhook(...args);
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookVerificationError);
    return error as WebhookVerificationError;
  }
  throw new Error('expected verifyStandardWebhook to throw');
}

function expectCode(code: VerificationErrorCode, ...args: Parameters<typeof verifyStandardWebhook>) {
  const error = failure(...args);
  expect(error.code).toBe(code);
  return error;
}

describe('signStandardWebhook', () => {
  it('matches the published Standard Webhooks / Svix example vector', () => {
    expect(
      signStandardWebhook({
        id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
        timestamp: 1614265330,
        body: '{"test": 2432232314}',
        secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      }),
    ).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('matches a fixed vector computed independently (openssl dgst -mac HMAC | base64)', () => {
    expect(
      signStandardWebhook({
        id: 'msg_1',
        timestamp: 1736936703,
        body: '{"id":"evt_1234567890","type":"message.delivered"}',
        secret: 'whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=',
      }),
    ).toBe('v1,ptGPOPWZNzKkdnXh2gMYSLoq8l0raPa87BOBETCOVI8=');
  });

  it('matches HMAC-SHA256 of "<id>.<timestamp>.<body>" under the decoded key, computed here', () => {
    const secret = generateSecret();
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    const expected = crypto.createHmac('sha256', key).update(`${ID}.${NOW_S}.${BODY}`, 'utf8').digest('base64');
    expect(signStandardWebhook({ id: ID, timestamp: NOW_S, body: BODY, secret })).toBe(`v1,${expected}`);
    expect(signStandardWebhook({ id: ID, timestamp: NOW_S, body: Buffer.from(BODY), secret })).toBe(`v1,${expected}`);
  });

  it.each([
    ['a malformed secret', { secret: 'not-a-secret' }],
    ['an empty id', { id: '' }],
    ['a timestamp in milliseconds with a fraction', { timestamp: 1736936703.5 }],
    ['a negative timestamp', { timestamp: -1 }],
  ])('throws a TypeError for %s', (_label, override) => {
    const input = { id: ID, timestamp: NOW_S, body: BODY, secret: generateSecret(), ...override };
    expect(() => signStandardWebhook(input)).toThrow(TypeError);
  });
});

describe('interoperability with the standardwebhooks npm package', () => {
  const payloads = [BODY, '{}', '{"emoji":"🚀","cjk":"你好"}'];

  it.each(payloads)('its Webhook.verify accepts our headers for %p', (payload) => {
    const secret = generateSecret();
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = headersFor(secret, { timestamp, body: payload });
    expect(new Webhook(secret).verify(payload, headers)).toEqual(JSON.parse(payload));
  });

  it('its Webhook.verify accepts our headers for a Buffer body', () => {
    const secret = generateSecret();
    const payload = Buffer.from(BODY, 'utf8');
    const headers = headersFor(secret, { timestamp: Math.floor(Date.now() / 1000), body: payload });
    expect(new Webhook(secret).verify(payload, headers)).toEqual(JSON.parse(BODY));
  });

  it.each(payloads)('we accept headers from its Webhook.sign for %p', (payload) => {
    const secret = generateSecret();
    const date = new Date();
    const signature = new Webhook(secret).sign('msg_2Lh9KRb0pnY8EcLX5Dl7Ycqm', date, payload);
    const headers = {
      'webhook-id': 'msg_2Lh9KRb0pnY8EcLX5Dl7Ycqm',
      'webhook-timestamp': String(Math.floor(date.getTime() / 1000)),
      'webhook-signature': signature,
    };
    expect(() => verifyStandardWebhook(payload, headers, secret)).not.toThrow();
    expect(() => verifyStandardWebhook(Buffer.from(payload), headers, secret)).not.toThrow();
  });

  it('its Webhook.verify rejects our headers under another secret', () => {
    const headers = headersFor(generateSecret(), { timestamp: Math.floor(Date.now() / 1000) });
    expect(() => new Webhook(generateSecret()).verify(BODY, headers)).toThrow('No matching signature found');
  });
});

describe('verifyStandardWebhook accepts', () => {
  const secret = generateSecret();

  it('a valid request, returning nothing', () => {
    expect(verifyStandardWebhook(BODY, headersFor(secret), secret, { now })).toBeUndefined();
  });

  it('a Uint8Array body', () => {
    expect(() =>
      verifyStandardWebhook(new TextEncoder().encode(BODY), headersFor(secret), secret, { now }),
    ).not.toThrow();
  });

  it('header names in any case', () => {
    const headers = Object.fromEntries(
      Object.entries(headersFor(secret)).map(([name, value]) => [name.toUpperCase(), value]),
    );
    expect(() => verifyStandardWebhook(BODY, headers, secret, { now })).not.toThrow();
    const mixed = {
      'Webhook-Id': ID,
      'Webhook-Timestamp': String(NOW_S),
      'Webhook-Signature': headersFor(secret)['webhook-signature'],
    };
    expect(() => verifyStandardWebhook(BODY, mixed, secret, { now })).not.toThrow();
  });

  it('a WHATWG Headers instance', () => {
    expect(() => verifyStandardWebhook(BODY, new Headers(headersFor(secret)), secret, { now })).not.toThrow();
  });

  it('a Headers instance with the signature header repeated', () => {
    const headers = new Headers(headersFor(generateSecret()));
    headers.append('webhook-signature', headersFor(secret)['webhook-signature']);
    expect(() => verifyStandardWebhook(BODY, headers, secret, { now })).not.toThrow();
  });

  it('array header values (as Node gives for repeated headers)', () => {
    const good = headersFor(secret);
    const headers = {
      'webhook-id': [ID],
      'webhook-timestamp': [String(NOW_S)],
      'webhook-signature': [headersFor(generateSecret())['webhook-signature'], good['webhook-signature']],
    };
    expect(() => verifyStandardWebhook(BODY, headers, secret, { now })).not.toThrow();
  });

  it('Node IncomingHttpHeaders (type check) with unrelated headers present', () => {
    const headers: import('node:http').IncomingHttpHeaders = {
      ...headersFor(secret),
      'content-type': 'application/json',
      'set-cookie': ['a=b'],
      host: undefined,
    };
    expect(() => verifyStandardWebhook(BODY, headers, secret, { now })).not.toThrow();
  });

  it('a multi-signature header where the second entry matches', () => {
    const good = headersFor(secret)['webhook-signature'];
    const other = headersFor(generateSecret())['webhook-signature'];
    const headers = { ...headersFor(secret), 'webhook-signature': `${other} ${good}` };
    expect(() => verifyStandardWebhook(BODY, headers, secret, { now })).not.toThrow();
  });

  it('ignores entries of other versions', () => {
    const good = headersFor(secret)['webhook-signature'];
    const headers = { ...headersFor(secret), 'webhook-signature': `v1a,${'A'.repeat(86)}== v2,abc ${good}` };
    expect(() => verifyStandardWebhook(BODY, headers, secret, { now })).not.toThrow();
  });

  it('rotation: the second secret matches', () => {
    expect(() => verifyStandardWebhook(BODY, headersFor(secret), [generateSecret(), secret], { now })).not.toThrow();
  });

  it('timestamps exactly at the tolerance, either way', () => {
    const old = headersFor(secret, { timestamp: NOW_S - DEFAULT_TOLERANCE_SECONDS });
    const ahead = headersFor(secret, { timestamp: NOW_S + DEFAULT_TOLERANCE_SECONDS });
    expect(() => verifyStandardWebhook(BODY, old, secret, { now })).not.toThrow();
    expect(() => verifyStandardWebhook(BODY, ahead, secret, { now })).not.toThrow();
  });

  it('a custom tolerance', () => {
    const headers = headersFor(secret, { timestamp: NOW_S - 3600 });
    expect(() => verifyStandardWebhook(BODY, headers, secret, { now, toleranceSeconds: 3600 })).not.toThrow();
    expectCode('timestamp_too_old', BODY, headers, secret, { now, toleranceSeconds: 3599 });
  });

  it('uses Date.now when no clock is given', () => {
    const headers = headersFor(secret, { timestamp: Math.floor(Date.now() / 1000) });
    expect(() => verifyStandardWebhook(BODY, headers, secret)).not.toThrow();
  });
});

describe('verifyStandardWebhook refuses, one failure mode per test', () => {
  const secret = generateSecret();

  it('an old timestamp (timestamp_too_old), saying by how much', () => {
    const headers = headersFor(secret, { timestamp: NOW_S - 412 });
    const error = expectCode('timestamp_too_old', BODY, headers, secret, { now });
    expect(error.message).toBe(
      'webhook-timestamp is 412s old, more than the 300s tolerance: the request is stale (a replay?) or your clock is wrong',
    );
  });

  it('a future timestamp (timestamp_too_new)', () => {
    const headers = headersFor(secret, { timestamp: NOW_S + 301 });
    const error = expectCode('timestamp_too_new', BODY, headers, secret, { now });
    expect(error.message).toMatch(/^webhook-timestamp is 301s in the future, more than the 300s tolerance/);
  });

  it('a truncated signature (invalid_signature)', () => {
    const good = headersFor(secret);
    const truncated = { ...good, 'webhook-signature': good['webhook-signature'].slice(0, -4) };
    expectCode('invalid_signature', BODY, truncated, secret, { now });
  });

  it('a signature made with another secret (invalid_signature)', () => {
    const error = expectCode('invalid_signature', BODY, headersFor(generateSecret()), secret, { now });
    expect(error.message).toMatch(/raw request body/);
  });

  it('a tampered body (invalid_signature)', () => {
    expectCode('invalid_signature', BODY.replace('delivered', 'read'), headersFor(secret), secret, {
      now,
    });
    expectCode('invalid_signature', `${BODY}\n`, headersFor(secret), secret, { now });
  });

  it('a tampered webhook-id (invalid_signature)', () => {
    expectCode('invalid_signature', BODY, { ...headersFor(secret), 'webhook-id': 'evt_other' }, secret, { now });
  });

  it('a timestamp moved within the tolerance (invalid_signature: it is signed)', () => {
    expectCode('invalid_signature', BODY, { ...headersFor(secret), 'webhook-timestamp': String(NOW_S - 1) }, secret, {
      now,
    });
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const)(
    'a missing %s header (missing_header)',
    (name) => {
      const headers: Record<string, string | undefined> = { ...headersFor(secret) };
      delete headers[name];
      const error = expectCode('missing_header', BODY, headers, secret, { now });
      expect(error.message).toContain(`missing ${name} header`);
      const empty = { ...headersFor(secret), [name]: '' };
      expectCode('missing_header', BODY, empty, secret, { now });
      const undef = { ...headersFor(secret), [name]: undefined };
      expectCode('missing_header', BODY, undef, secret, { now });
      const fetchHeaders = new Headers(headersFor(secret));
      fetchHeaders.delete(name);
      expectCode('missing_header', BODY, fetchHeaders, secret, { now });
    },
  );

  it.each([
    ['abc'],
    ['1736936703.5'],
    ['-1736936703'],
    ['1736936703000000000'],
    ['2025-01-15T10:25:03Z'],
    ['0x67878aff'],
  ])('a malformed timestamp %p (invalid_header)', (value) => {
    const error = expectCode('invalid_header', BODY, { ...headersFor(secret), 'webhook-timestamp': value }, secret, {
      now,
    });
    expect(error.message).toMatch(/^webhook-timestamp must be unix time in whole seconds/);
  });

  it('a signature header with no "<version>,<signature>" entry (invalid_header)', () => {
    const good = headersFor(secret)['webhook-signature'];
    const bare = { ...headersFor(secret), 'webhook-signature': good.slice('v1,'.length) };
    expectCode('invalid_header', BODY, bare, secret, { now });
    expectCode('invalid_header', BODY, { ...headersFor(secret), 'webhook-signature': 'sha256=abc' }, secret, { now });
  });

  it('a signature header with only other versions (invalid_signature)', () => {
    const good = headersFor(secret)['webhook-signature'];
    const v2 = { ...headersFor(secret), 'webhook-signature': good.replace(/^v1,/, 'v2,') };
    const error = expectCode('invalid_signature', BODY, v2, secret, { now });
    expect(error.message).toMatch(/no v1 signature/);
  });

  it('an x-inbox-style signature in webhook-signature (invalid_header)', () => {
    expectCode(
      'invalid_header',
      BODY,
      { ...headersFor(secret), 'webhook-signature': `sha256=${'a'.repeat(64)}` },
      secret,
      {
        now,
      },
    );
  });

  it('conflicting repeated webhook-id values (invalid_header)', () => {
    expectCode('invalid_header', BODY, { ...headersFor(secret), 'webhook-id': [ID, 'evt_other'] }, secret, { now });
  });

  it('rotation: no secret matches (invalid_signature)', () => {
    expectCode('invalid_signature', BODY, headersFor(secret), [generateSecret(), generateSecret()], { now });
  });

  it.each([
    ['no prefix', 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
    ['not base64', 'whsec_not base64!'],
    ['too short', `whsec_${Buffer.alloc(8).toString('base64')}`],
    ['empty', ''],
  ])('a malformed secret: %s (invalid_secret), never echoing it', (_label, bad) => {
    const error = expectCode('invalid_secret', BODY, headersFor(secret), bad, { now });
    if (bad) expect(error.message).not.toContain(bad);
    expect(error.message).toMatch(/expected "whsec_" followed by base64/);
  });

  it('a malformed secret among valid ones (invalid_secret, naming which)', () => {
    const error = expectCode('invalid_secret', BODY, headersFor(secret), [secret, 'whsec_x'], { now });
    expect(error.message).toMatch(/^secret #2 /);
  });

  it('no secrets at all (invalid_secret)', () => {
    expectCode('invalid_secret', BODY, headersFor(secret), [], { now });
  });

  it('a bad tolerance is a programming error (RangeError)', () => {
    expect(() => verifyStandardWebhook(BODY, headersFor(secret), secret, { now, toleranceSeconds: -1 })).toThrow(
      RangeError,
    );
    expect(() =>
      verifyStandardWebhook(BODY, headersFor(secret), secret, { now, toleranceSeconds: Number.NaN }),
    ).toThrow(RangeError);
  });

  it('no headers object (missing_header)', () => {
    expectCode('missing_header', BODY, undefined as unknown as HeadersInput, secret, { now });
  });
});

describe('WebhookVerificationError', () => {
  it('is an Error with a name, a code and a message', () => {
    const error = new WebhookVerificationError('invalid_signature', 'nope');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('WebhookVerificationError');
    expect(error.code).toBe('invalid_signature');
    expect(error.message).toBe('nope');
    expect(String(error)).toBe('WebhookVerificationError: nope');
    expect(error.stack).toContain('WebhookVerificationError');
    expect(error.isAuthentic).toBe(false);
    expect([error.payload, error.issues, error.cause]).toEqual([undefined, undefined, undefined]);
  });

  it('carries what @inbox/sdk reports about an authentic body it cannot type (one class for both packages)', () => {
    const cause = new Error('zod');
    const issues = [{ path: 'data.read_at', message: 'Required' }];
    const error = new WebhookVerificationError('invalid_event', 'bad shape', { payload: { type: 'x' }, issues, cause });
    expect(error).toMatchObject({ code: 'invalid_event', payload: { type: 'x' }, issues, cause, isAuthentic: true });
    expect(new WebhookVerificationError('invalid_json', 'not JSON').isAuthentic).toBe(false);
  });

  it('lists its codes', () => {
    expect(VERIFICATION_ERROR_CODES).toEqual([
      'missing_header',
      'invalid_header',
      'timestamp_too_old',
      'timestamp_too_new',
      'invalid_signature',
      'invalid_secret',
    ]);
    // Every code the class carries: the six above, then the three @inbox/sdk adds about the body.
    expect([...WEBHOOK_VERIFICATION_ERROR_CODES.slice(0, 6)].sort()).toEqual([...VERIFICATION_ERROR_CODES].sort());
    expect(WEBHOOK_VERIFICATION_ERROR_CODES.slice(6)).toEqual(['invalid_json', 'unknown_event_type', 'invalid_event']);
    expect(DEFAULT_TOLERANCE_SECONDS).toBe(300);
  });
});
