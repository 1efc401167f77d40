import * as signing from '@inbox/signing';
import { FIXTURE } from '../test/support/fixtures.js';
import * as sdk from './index.js';
import { verifySignature } from './verify.js';

const header = FIXTURE.headers['x-inbox-signature'] as string;

describe('verifySignature (the docs function, hardened)', () => {
  it('accepts the independently signed fixture, body as string or Buffer', () => {
    expect(verifySignature(FIXTURE.body, header, FIXTURE.secret)).toBe(true);
    expect(verifySignature(Buffer.from(FIXTURE.body), header, FIXTURE.secret)).toBe(true);
  });

  it('accepts the hex digest without "sha256=", in upper case, and any of several secrets', () => {
    expect(verifySignature(FIXTURE.body, header.slice('sha256='.length).toUpperCase(), FIXTURE.secret)).toBe(true);
    expect(verifySignature(FIXTURE.body, header, [signing.generateSecret(), FIXTURE.secret])).toBe(true);
  });

  it('returns false, never throws, for a missing, empty, malformed or truncated header', () => {
    for (const bad of [undefined, null, '', 'sha256=', 'sha256=zz', header.slice(0, 40), 'md5=abc', ['nope']]) {
      expect(verifySignature(FIXTURE.body, bad as string, FIXTURE.secret)).toBe(false);
    }
  });

  it('returns false for a tampered body or the wrong secret', () => {
    expect(verifySignature(`${FIXTURE.body} `, header, FIXTURE.secret)).toBe(false);
    expect(verifySignature(FIXTURE.body, header, signing.generateSecret())).toBe(false);
  });

  it('throws a TypeError for programming errors: a parsed body, or no secret', () => {
    expect(() => verifySignature(JSON.parse(FIXTURE.body) as string, header, FIXTURE.secret)).toThrow(
      /raw request body/,
    );
    expect(() => verifySignature(FIXTURE.body, header, undefined as unknown as string)).toThrow(TypeError);
    expect(() => verifySignature(FIXTURE.body, header, '')).toThrow(/environment variable/);
  });
});

describe('WebhookVerificationError', () => {
  it('is @inbox/signing’s class, which reaches the caller untranslated', () => {
    expect(sdk.WebhookVerificationError).toBe(signing.WebhookVerificationError);
    expect(sdk.WEBHOOK_VERIFICATION_ERROR_CODES).toBe(signing.WEBHOOK_VERIFICATION_ERROR_CODES);
    const stale = { ...FIXTURE.headers, 'webhook-timestamp': '0' };
    expect(() => sdk.constructEvent(FIXTURE.body, stale, FIXTURE.secret)).toThrow(signing.WebhookVerificationError);
  });
});
