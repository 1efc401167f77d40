import { signStandardWebhook } from './index.js';
import {
  DEFAULT_TOLERANCE_SECONDS,
  parseStandardWebhookHeaders,
  resolveToleranceSeconds,
  standardSignatureMismatch,
  WebhookVerificationError,
  type HeadersInput,
} from './web.js';

// The failure modes are tested through verifyStandardWebhook (standard-webhooks.spec.ts) and the
// SDK's Web Crypto verifier; these are the parser's own promises.

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const TIMESTAMP = 1614265330;
const nowMs = TIMESTAMP * 1000;
const v1 = signStandardWebhook({ id: ID, timestamp: TIMESTAMP, body: '{"test": 2432232314}', secret: SECRET });
const headers = { 'webhook-id': ID, 'webhook-timestamp': String(TIMESTAMP), 'webhook-signature': v1 };

function failure(input: HeadersInput, options = { nowMs }): WebhookVerificationError {
  try {
    parseStandardWebhookHeaders(input, options);
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookVerificationError);
    return error as WebhookVerificationError;
  }
  throw new Error('expected parseStandardWebhookHeaders to throw');
}

describe('parseStandardWebhookHeaders', () => {
  it('returns the id, the timestamp and the decoded v1 signatures, in order, other versions left out', () => {
    const other = `v1,${Buffer.alloc(32, 1).toString('base64')}`;
    const parsed = parseStandardWebhookHeaders(
      { ...headers, 'webhook-signature': `v2,abc ${v1} v1a,xyz ${other}` },
      { nowMs },
    );
    expect(parsed.id).toBe(ID);
    expect(parsed.timestamp).toBe(TIMESTAMP);
    expect(parsed.signatures.map((s) => Buffer.from(s).toString('base64'))).toEqual([
      'g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
      Buffer.alloc(32, 1).toString('base64'),
    ]);
  });

  it('checks the timestamp against the tolerance, 300 s by default', () => {
    expect(() => parseStandardWebhookHeaders(headers, { nowMs: nowMs + 300_999 })).not.toThrow();
    expect(failure(headers, { nowMs: nowMs + 301_000 }).code).toBe('timestamp_too_old');
    expect(failure(headers, { nowMs: nowMs - 301_000 }).code).toBe('timestamp_too_new');
    expect(() =>
      parseStandardWebhookHeaders(headers, { nowMs: nowMs + 3_600_000, toleranceSeconds: 3600 }),
    ).not.toThrow();
  });

  it('reads the clock when no nowMs is given', () => {
    expect(failure(headers, {} as { nowMs: number }).code).toBe('timestamp_too_old');
  });

  it('refuses with the codes verifyStandardWebhook uses', () => {
    expect(failure({ ...headers, 'webhook-id': '' }).code).toBe('missing_header');
    expect(failure({ ...headers, 'webhook-timestamp': 'soon' }).code).toBe('invalid_header');
    expect(failure({ ...headers, 'webhook-signature': 'garbage!' }).code).toBe('invalid_header');
    expect(failure({ ...headers, 'webhook-signature': v1.replace('v1,', 'v2,') }).code).toBe('invalid_signature');
    expect(failure(null as unknown as HeadersInput).code).toBe('missing_header');
  });

  it('a bad tolerance is a RangeError naming the caller', () => {
    expect(() => parseStandardWebhookHeaders(headers, { nowMs, toleranceSeconds: -1 } as never)).toThrow(
      /^parseStandardWebhookHeaders: toleranceSeconds must be a number >= 0, got -1$/,
    );
    expect(() => resolveToleranceSeconds(Number.NaN, 'verify')).toThrow(RangeError);
    expect(resolveToleranceSeconds(undefined, 'verify')).toBe(DEFAULT_TOLERANCE_SECONDS);
  });
});

describe('standardSignatureMismatch', () => {
  it('is invalid_signature, saying to verify the raw body', () => {
    const error = standardSignatureMismatch();
    expect(error).toBeInstanceOf(WebhookVerificationError);
    expect(error.code).toBe('invalid_signature');
    expect(error.message).toMatch(/raw request body/);
  });
});
