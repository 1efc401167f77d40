import { z } from 'zod';
import { isStorableText, isTimestampInRange, storableText, TIMESTAMP_RANGE, timestampInRange } from './index.js';

describe('isStorableText', () => {
  it.each([
    ['plain ASCII', 'Acme Inc.', true],
    ['the empty string', '', true],
    ['accents, CJK and an emoji (a surrogate pair)', 'Café 東京 😀', true],
    ['control characters other than NUL', 'a\tb\nc\u0001\u007f', true],
    ['the text "\\u0000", escaped', '\\u0000', true],
    ['a NUL', 'a\u0000b', false],
    ['only a NUL', '\u0000', false],
    ['a lone high surrogate', 'a\ud800b', false],
    ['a lone high surrogate at the end', 'a\ud83d', false],
    ['a lone low surrogate', '\ude00x', false],
    ['a pair written backwards', '\ude00\ud83d', false],
  ])('%s → %s', (_label, text, ok) => {
    expect(isStorableText(text)).toBe(ok);
  });

  it('storableText names the field and keeps chained limits', () => {
    const name = storableText('name').max(3);
    expect(name.safeParse('abc').success).toBe(true);
    expect(name.safeParse('a\u0000').error?.issues.map((i) => i.message)).toEqual(['name must not contain NUL (\\u0000) or unpaired surrogate characters']);
    expect(name.safeParse('abcd').success).toBe(false);
  });
});

describe('timestamps within TIMESTAMP_RANGE', () => {
  it.each([
    [TIMESTAMP_RANGE.min, true],
    [TIMESTAMP_RANGE.max, true],
    ['2025-01-15T10:25:03Z', true],
    ['1969-12-31T23:59:59.999Z', false],
    ['0000-01-01T00:00:00Z', false],
    ['+010000-01-01T00:00:00Z', false],
    ['+275760-09-13T00:00:00.000Z', false],
  ])('%s → %s', (value, ok) => {
    expect(isTimestampInRange(Date.parse(value))).toBe(ok);
  });

  it('refuses NaN (an unparseable date)', () => {
    expect(isTimestampInRange(Number.NaN)).toBe(false);
  });

  it('timestampInRange reports one issue: the format, or else the range', () => {
    const since = z.iso.datetime({ offset: true, error: 'since must be ISO-8601' }).check(timestampInRange('since'));
    expect(since.safeParse('yesterday').error?.issues.map((i) => i.message)).toEqual(['since must be ISO-8601']);
    // A valid-looking instant that, with its offset, falls before 1970.
    expect(since.safeParse('1970-01-01T00:00:00+01:00').error?.issues.map((i) => i.message)).toEqual([
      'since must be from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z',
    ]);
    expect(since.safeParse('9999-12-31T23:59:59-14:00').success).toBe(false);
    expect(since.safeParse('2025-01-15T12:25:03+02:00').success).toBe(true);
  });
});
