import fc from 'fast-check';

/**
 * A hostile JSON value, described small enough to print in a counterexample (a 300 KB string or a
 * 100 000-level nesting is its recipe, not its text) and turned into JSON text only when sent.
 */
export type Hostile =
  | { kind: 'value'; value: unknown }
  /** JSON text that JSON.stringify never writes: 1e400 (Infinity once parsed), -0, huge integers, duplicate keys. */
  | { kind: 'raw'; json: string }
  | { kind: 'long'; unit: string; times: number }
  | { kind: 'deep'; container: 'object' | 'array'; levels: number }
  | { kind: 'wide'; container: 'object' | 'array'; entries: number };

/** The JSON text of a hostile value. */
export function hostileJson(hostile: Hostile): string {
  switch (hostile.kind) {
    case 'value':
      return JSON.stringify(hostile.value) ?? 'null';
    case 'raw':
      return hostile.json;
    case 'long':
      return JSON.stringify(hostile.unit.repeat(hostile.times));
    case 'deep':
      return hostile.container === 'object' ? `${'{"a":'.repeat(hostile.levels)}1${'}'.repeat(hostile.levels)}` : `${'['.repeat(hostile.levels)}${']'.repeat(hostile.levels)}`;
    case 'wide': {
      const items = Array.from({ length: hostile.entries }, (_, i) => (hostile.container === 'object' ? `"k${i}":${i}` : String(i)));
      return hostile.container === 'object' ? `{${items.join(',')}}` : `[${items.join(',')}]`;
    }
  }
}

/** Dates the database or the docs cannot take, and some that only look wrong. */
const ODD_DATES = [
  '0000-01-01T00:00:00Z',
  '0001-01-01T00:00:00+14:00',
  '1969-12-31T23:59:59.999Z',
  '1970-01-01T00:00:00Z',
  '9999-12-31T23:59:59.9999999Z',
  '10000-01-01T00:00:00Z',
  '+010000-01-01T00:00:00Z',
  '+275760-09-13T00:00:00.001Z',
  '-000001-01-01T00:00:00Z',
  '2025-02-30T10:25:03Z',
  '2025-01-15T24:00:00Z',
  '2016-12-31T23:59:60Z',
  '2025-01-15T10:25:03-00:00',
  '2025-01-15T10:25:03.123456789Z',
  '2025-01-15',
  '1736936703',
];

const INJECTIONS = ["' OR 1=1 --", "'; DROP TABLE webhooks; --", '../../etc/passwd', '%00', '${jndi:ldap://x}', '<script>alert(1)</script>', '{{7*7}}', '$where', '\\'];

/** UTF-16 surrogates without their other half: UTF-8 cannot encode them. */
const UNPAIRED_SURROGATES = ['\ud800', '\udbff', '\udc00', '\udfff', '\ude00\ud83d'];

/** Characters that are storable but odd: zero-width and bidi controls, a BOM, lookalikes, combining marks, line breaks. */
const ODD_CHARACTERS = ['\u200b', '\u202e', '\ufeff', '\uffff', 'ｍessage.read', 'mеssage.read', 'e\u0301', '😀', '\u0085', '\r\n', '\t', '\u0001'];

/** Object keys with meaning to JavaScript, databases or nobody. */
export const SPECIAL_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '', ' ', '\u0000', '\ud800', 'k'.repeat(300), '$gt', 'id', 'account_id', 'status'];

/** Random text with one of `characters` somewhere in it. */
function textWith(characters: readonly string[]): fc.Arbitrary<string> {
  return fc.tuple(fc.string({ maxLength: 8 }), fc.constantFrom(...characters), fc.string({ maxLength: 8 })).map(([a, odd, b]) => `${a}${odd}${b}`);
}

/** Any string a client might send, each kind of trouble about as likely as the others. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  // NUL, which Postgres text and jsonb refuse.
  { weight: 2, arbitrary: textWith(['\u0000']) },
  { weight: 1, arbitrary: textWith(UNPAIRED_SURROGATES) },
  { weight: 2, arbitrary: textWith(ODD_CHARACTERS) },
  { weight: 2, arbitrary: fc.oneof(fc.constantFrom(...ODD_DATES), fc.date({ noInvalidDate: true }).map((d) => d.toISOString())) },
  { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 20 }), fc.string({ unit: 'grapheme', maxLength: 10 })) },
  { weight: 1, arbitrary: fc.constantFrom(...INJECTIONS) },
);

/** A hostile value for a JSON field: wrong types, odd text and dates, extreme numbers, oversized and deep values. */
export const hostileValue: fc.Arbitrary<Hostile> = fc.oneof(
  { weight: 8, arbitrary: hostileText.map((value): Hostile => ({ kind: 'value', value })) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value): Hostile => ({ kind: 'value', value })) },
  {
    weight: 1,
    arbitrary: fc
      .oneof(fc.integer(), fc.double(), fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -Number.MAX_VALUE, Number.MIN_VALUE, null, true, false, [], {}))
      .map((value): Hostile => ({ kind: 'value', value })),
  },
  { weight: 1, arbitrary: fc.constantFrom('1e400', '-1e400', '-0', '1E+999', '123456789012345678901234567890', '0.1e-400', '{"a":1,"a":2}').map((json): Hostile => ({ kind: 'raw', json })) },
  {
    weight: 1,
    arbitrary: fc
      .record({ key: fc.constantFrom(...SPECIAL_KEYS), inner: fc.constantFrom('{"admin":true}', '1', 'null', '{"prototype":{"polluted":true}}') })
      .map(({ key, inner }): Hostile => ({ kind: 'raw', json: `{${JSON.stringify(key)}:${inner}}` })),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({ unit: fc.constantFrom('x', 'é', '😀', '\u0000', ' '), times: fc.constantFrom(201, 256, 257, 513, 2049, 8193, 70_000, 300_000) })
      .map((r): Hostile => ({ kind: 'long', ...r })),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({ container: fc.constantFrom('object' as const, 'array' as const), levels: fc.constantFrom(15, 16, 17, 64, 3000, 100_000) })
      .map((r): Hostile => ({ kind: 'deep', ...r })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ container: fc.constantFrom('object' as const, 'array' as const), entries: fc.constantFrom(501, 1001, 20_000) })
      .map((r): Hostile => ({ kind: 'wide', ...r })),
  },
);

/** One hostile value of each kind, tried on every field by the systematic sweep. */
export const HOSTILE_SAMPLES: readonly Hostile[] = [
  { kind: 'value', value: 'a\u0000b' },
  { kind: 'value', value: 'a\ud800b' },
  { kind: 'value', value: '0000-01-01T00:00:00Z' },
  { kind: 'value', value: '+010000-01-01T00:00:00Z' },
  { kind: 'value', value: null },
  { kind: 'value', value: 12345 },
  { kind: 'raw', json: '1e400' },
  { kind: 'value', value: {} },
  { kind: 'raw', json: '{"__proto__":{"admin":true},"constructor":{"prototype":{"polluted":true}}}' },
  { kind: 'long', unit: 'x', times: 8193 },
  // Deep enough to overflow JSON.stringify's stack (about 5 000 levels), cheap enough to send often.
  { kind: 'deep', container: 'array', levels: 20_000 },
  { kind: 'wide', container: 'array', entries: 20_000 },
];

/** One hostile string of each kind, for query and path parameters (which are always text). */
export const HOSTILE_TEXT_SAMPLES: readonly string[] = ['a\u0000b', 'a\ud800b', '0000-01-01T00:00:00Z', '+010000-01-01T00:00:00Z', '-1', '1e400', "' OR 1=1 --", 'x'.repeat(5000), '😀'];
