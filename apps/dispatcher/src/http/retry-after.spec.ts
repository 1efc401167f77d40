import { parseRetryAfter, RETRY_AFTER_STATUSES } from './retry-after.js';

const NOW = Date.parse('2025-01-15T10:25:03Z');

describe('parseRetryAfter', () => {
  it.each([
    ['0', 0],
    ['2', 2_000],
    [' 120 ', 120_000],
    ['007', 7_000],
  ])('reads delay-seconds %j as %i ms', (value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms);
  });

  it.each([
    ['IMF-fixdate', 'Wed, 15 Jan 2025 10:25:33 GMT'],
    ['RFC 850', 'Wednesday, 15-Jan-25 10:25:33 GMT'],
    ['asctime', 'Wed Jan 15 10:25:33 2025'],
  ])('reads an HTTP date (%s) as the time until it', (_form, value) => {
    expect(parseRetryAfter(value, NOW)).toBe(30_000);
  });

  it('reads a date already past as no wait at all', () => {
    expect(parseRetryAfter('Wed, 15 Jan 2025 10:00:00 GMT', NOW)).toBe(0);
  });

  it('keeps a huge value huge (the schedule caps it), even past what a double holds', () => {
    expect(parseRetryAfter('31536000', NOW)).toBe(31_536_000_000);
    expect(parseRetryAfter('9'.repeat(400), NOW)).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseRetryAfter('Fri, 31 Dec 9999 23:59:59 GMT', NOW)).toBeGreaterThan(31_536_000_000);
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['negative', '-5'],
    ['fractional', '1.5'],
    ['signed', '+5'],
    ['a number with a unit', '5s'],
    ['hex', '0x10'],
    ['garbage', 'soon'],
    ['a date in no HTTP form', '2025-01-15T10:25:33Z'],
    ['a date with a local zone', 'Wed, 15 Jan 2025 10:25:33 +0100'],
    ['an impossible date', 'Wed, 99 Foo 2025 10:25:33 GMT'],
    ['several values', ['2', '3']],
  ])('ignores a value that is %s', (_label, value) => {
    expect(parseRetryAfter(value, NOW)).toBeNull();
  });

  it('applies to 429 and 503 answers only', () => {
    expect([...RETRY_AFTER_STATUSES].sort()).toEqual([429, 503]);
  });
});
