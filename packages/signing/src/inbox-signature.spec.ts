import crypto from 'node:crypto';
import {
  buildDeliveryHeaders,
  generateSecret,
  HEADER_INBOX_SIGNATURE,
  HEADER_INBOX_SIGNATURE_PREVIOUS,
  signInboxSignature,
  verifyInboxSignature,
} from './index.js';
import { inboxSignatureHeaderValues } from './web.js';

// ---- Copied verbatim from the public docs page (shared/spec/webhooks-docs.txt, "Signature
// Verification"); only `require('crypto')` became the `node:crypto` import above. Receivers run
// exactly this, so it is the reference our X-Inbox-Signature must satisfy.
// prettier-ignore
// @ts-expect-error the docs' JavaScript has untyped parameters (implicit any), kept as printed
function verifySignature(payload, signature, secret) {
  const expectedSignature = crypto
    .createHmac('sha256', secret)
    .update(payload, 'utf8')
    .digest('hex');
  
  const receivedSignature = signature.replace('sha256=', '');
  
  return crypto.timingSafeEqual(
    Buffer.from(expectedSignature, 'hex'),
    Buffer.from(receivedSignature, 'hex')
  );
}
// ---- end of the docs' code

const SECRET = 'whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8='; // bytes 0..31
const BODY = '{"id":"evt_1234567890","type":"message.delivered"}';

const bodies: Array<[string, string | Buffer]> = [
  ['ASCII JSON', BODY],
  ['unicode', '{"text":"héllo wörld — 你好 🚀","to":"+15551234567"}'],
  ['a Buffer', Buffer.from('{"id":"evt_1","data":{"emoji":"✅"}}', 'utf8')],
  ['an empty body', ''],
  ['a large body', JSON.stringify({ items: Array.from({ length: 2000 }, (_, i) => ({ i, s: 'x'.repeat(20) })) })],
];

describe('signInboxSignature', () => {
  it.each(bodies)('is accepted by the docs verifySignature for %s', (_label, body) => {
    for (const secret of [SECRET, generateSecret()]) {
      const header = signInboxSignature(body, secret);
      expect(verifySignature(body, header, secret)).toBe(true);
    }
  });

  it('matches a fixed vector computed independently (openssl dgst -sha256 -hmac <secret>)', () => {
    expect(signInboxSignature(BODY, SECRET)).toBe(
      'sha256=94aa06b386f4d2c034422267f81c71d2640bb896b72a5450d7c3d97866755b45',
    );
  });

  it('matches HMAC-SHA256 keyed with the whole secret string, computed here with node:crypto', () => {
    const secret = generateSecret();
    const body = '{"ünïcode":"✓"}';
    const expected = crypto
      .createHmac('sha256', Buffer.from(secret, 'utf8'))
      .update(Buffer.from(body, 'utf8'))
      .digest('hex');
    expect(signInboxSignature(body, secret)).toBe(`sha256=${expected}`);
    expect(signInboxSignature(Buffer.from(body, 'utf8'), secret)).toBe(`sha256=${expected}`);
    expect(signInboxSignature(new Uint8Array(Buffer.from(body, 'utf8')), secret)).toBe(`sha256=${expected}`);
  });

  it('refuses an empty secret', () => {
    expect(() => signInboxSignature(BODY, '')).toThrow(TypeError);
  });
});

describe('verifyInboxSignature', () => {
  const header = signInboxSignature(BODY, SECRET);
  const hex = header.slice('sha256='.length);

  it.each(bodies)('accepts its own signature for %s', (_label, body) => {
    expect(verifyInboxSignature(body, signInboxSignature(body, SECRET), SECRET)).toBe(true);
  });

  it('accepts the header with or without sha256=, in either hex case', () => {
    expect(verifyInboxSignature(BODY, header, SECRET)).toBe(true);
    expect(verifyInboxSignature(BODY, hex, SECRET)).toBe(true);
    expect(verifyInboxSignature(BODY, hex.toUpperCase(), SECRET)).toBe(true);
    expect(verifyInboxSignature(BODY, ` ${header} `, SECRET)).toBe(true);
  });

  it('accepts a signature computed by the docs algorithm, independently of signInboxSignature', () => {
    const expected = crypto.createHmac('sha256', SECRET).update(BODY, 'utf8').digest('hex');
    expect(verifyInboxSignature(BODY, `sha256=${expected}`, SECRET)).toBe(true);
  });

  it('accepts the same text as a string, a Buffer or a Uint8Array', () => {
    expect(verifyInboxSignature(Buffer.from(BODY), header, SECRET)).toBe(true);
    expect(verifyInboxSignature(new TextEncoder().encode(BODY), header, SECRET)).toBe(true);
  });

  it('rotation: accepts when a later secret matches', () => {
    expect(verifyInboxSignature(BODY, header, [generateSecret(), SECRET])).toBe(true);
    expect(verifyInboxSignature(BODY, header, [generateSecret(), generateSecret()])).toBe(false);
  });

  it('accepts an array header or a comma-joined header when one value matches', () => {
    const other = signInboxSignature(BODY, generateSecret());
    expect(verifyInboxSignature(BODY, [other, header], SECRET)).toBe(true);
    expect(verifyInboxSignature(BODY, `${other}, ${header}`, SECRET)).toBe(true);
    expect(verifyInboxSignature(BODY, [other], SECRET)).toBe(false);
  });

  it('refuses a tampered body', () => {
    expect(verifyInboxSignature(`${BODY} `, header, SECRET)).toBe(false);
    expect(verifyInboxSignature(BODY.replace('delivered', 'read'), header, SECRET)).toBe(false);
  });

  it('refuses the wrong secret', () => {
    expect(verifyInboxSignature(BODY, header, generateSecret())).toBe(false);
    // Keyed with the decoded bytes instead of the whole string: a plausible mistake, and not our format.
    const decodedKey = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
    const wrong = crypto.createHmac('sha256', decodedKey).update(BODY).digest('hex');
    expect(verifyInboxSignature(BODY, `sha256=${wrong}`, SECRET)).toBe(false);
  });

  it.each([
    ['missing (undefined)', undefined],
    ['missing (null)', null],
    ['empty', ''],
    ['empty array', []],
    ['prefix only', 'sha256='],
    ['truncated', header.slice(0, -2)],
    ['odd-length hex', header.slice(0, -1)],
    ['too long', `${header}00`],
    ['not hex', `sha256=${'z'.repeat(64)}`],
    ['another algorithm', `sha1=${hex}`],
    ['base64 instead of hex', `sha256=${Buffer.from(hex, 'hex').toString('base64')}`],
  ])('returns false, without throwing, for a %s header', (_label, value) => {
    expect(verifyInboxSignature(BODY, value, SECRET)).toBe(false);
  });

  it('returns false, without throwing, for bad arguments', () => {
    expect(verifyInboxSignature(BODY, header, [])).toBe(false);
    expect(verifyInboxSignature(BODY, header, '')).toBe(false);
    expect(verifyInboxSignature(42 as unknown as string, header, SECRET)).toBe(false);
    expect(verifyInboxSignature(BODY, 42 as unknown as string, SECRET)).toBe(false);
    expect(verifyInboxSignature(BODY, header, 42 as unknown as string)).toBe(false);
    expect(verifyInboxSignature(BODY, header, [42] as unknown as string[])).toBe(false);
  });
});

describe('buildDeliveryHeaders x-inbox-signature', () => {
  it.each(bodies)('is accepted by the docs verifySignature for %s', (_label, body) => {
    const secret = generateSecret();
    const headers = buildDeliveryHeaders({
      eventId: 'evt_1234567890',
      eventType: 'message.delivered',
      attempt: 1,
      body,
      secret,
    });
    expect(verifySignature(body, headers[HEADER_INBOX_SIGNATURE], secret)).toBe(true);
    expect(headers[HEADER_INBOX_SIGNATURE]).toBe(signInboxSignature(body, secret));
  });

  it('during a rotation: the docs verifySignature accepts x-inbox-signature with the new secret, -previous with the old', () => {
    const [secret, previousSecret] = [generateSecret(), generateSecret()];
    const headers = buildDeliveryHeaders({
      eventId: 'evt_1',
      eventType: 'message.read',
      attempt: 1,
      body: BODY,
      secret,
      previousSecret,
    });
    expect(verifySignature(BODY, headers[HEADER_INBOX_SIGNATURE], secret)).toBe(true);
    expect(verifySignature(BODY, headers[HEADER_INBOX_SIGNATURE_PREVIOUS], previousSecret)).toBe(true);
    expect(verifySignature(BODY, headers[HEADER_INBOX_SIGNATURE], previousSecret)).toBe(false);
    expect(verifySignature(BODY, headers[HEADER_INBOX_SIGNATURE_PREVIOUS], secret)).toBe(false);
  });
});

describe('inboxSignatureHeaderValues', () => {
  it('reads X-Inbox-Signature, then X-Inbox-Signature-Previous, in any header shape', () => {
    expect(
      inboxSignatureHeaderValues({ 'X-Inbox-Signature-Previous': 'sha256=b', 'x-inbox-signature': 'sha256=a' }),
    ).toEqual(['sha256=a', 'sha256=b']);
    expect(inboxSignatureHeaderValues(new Headers({ 'x-inbox-signature-previous': 'sha256=b' }))).toEqual(['sha256=b']);
    expect(inboxSignatureHeaderValues({})).toEqual([]);
  });
});
