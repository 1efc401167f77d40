import * as signing from '@inbox/signing';
import { FIXTURE } from '../test/support/fixtures.js';
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

describe('error codes', () => {
  it('signing’s error codes are a subset of the SDK’s', async () => {
    const { WEBHOOK_VERIFICATION_ERROR_CODES } = await import('./errors.js');
    expect(WEBHOOK_VERIFICATION_ERROR_CODES).toEqual(expect.arrayContaining([...signing.VERIFICATION_ERROR_CODES]));
  });
});
