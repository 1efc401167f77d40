import * as signing from '@inbox/signing';
import { FIXTURE } from '../test/support/fixtures.js';
import * as constants from './constants.js';
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

describe('wire constants', () => {
  it('equal @inbox/signing’s (kept apart only so the Web entry never loads node:crypto)', () => {
    expect(constants.DEFAULT_TOLERANCE_SECONDS).toBe(signing.DEFAULT_TOLERANCE_SECONDS);
    expect(constants.SECRET_PREFIX).toBe(signing.SECRET_PREFIX);
    expect(constants.INBOX_SIGNATURE_PREFIX).toBe(signing.INBOX_SIGNATURE_PREFIX);
    expect(constants.HEADER_INBOX_SIGNATURE).toBe(signing.HEADER_INBOX_SIGNATURE);
    expect(constants.HEADER_INBOX_EVENT_ID).toBe(signing.HEADER_INBOX_EVENT_ID);
    expect(constants.HEADER_INBOX_EVENT_TYPE).toBe(signing.HEADER_INBOX_EVENT_TYPE);
    expect(constants.HEADER_INBOX_DELIVERY_ATTEMPT).toBe(signing.HEADER_INBOX_DELIVERY_ATTEMPT);
    expect(constants.HEADER_WEBHOOK_ID).toBe(signing.HEADER_WEBHOOK_ID);
    expect(constants.HEADER_WEBHOOK_TIMESTAMP).toBe(signing.HEADER_WEBHOOK_TIMESTAMP);
    expect(constants.HEADER_WEBHOOK_SIGNATURE).toBe(signing.HEADER_WEBHOOK_SIGNATURE);
  });

  it('signing’s error codes are a subset of the SDK’s', async () => {
    const { WEBHOOK_VERIFICATION_ERROR_CODES } = await import('./errors.js');
    expect(WEBHOOK_VERIFICATION_ERROR_CODES).toEqual(expect.arrayContaining([...signing.VERIFICATION_ERROR_CODES]));
  });
});
