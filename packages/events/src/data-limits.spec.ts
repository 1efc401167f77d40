import { DATA_LIMITS, findDataLimitProblems } from './index.js';

/** `levels` objects nested in one another: `{a: {a: … 1}}`. */
function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

describe('findDataLimitProblems', () => {
  it('accepts ordinary JSON at the limits', () => {
    const atLimits = {
      text: 'x'.repeat(DATA_LIMITS.stringLength),
      ['k'.repeat(DATA_LIMITS.keyLength)]: true,
      items: Array.from({ length: DATA_LIMITS.entries }, (_, i) => i),
      deep: nested(DATA_LIMITS.depth - 1), // data, then depth - 1 nested objects: the limit exactly
      mixed: [null, false, -1.5e308, 'Café 😀', { '': [] }],
    };
    expect(findDataLimitProblems(atLimits)).toEqual([]);
  });

  it.each([
    ['a NUL in a string', { a: [1, 'x\u0000'] }, ['a', 1], /NUL/],
    ['an unpaired surrogate in a string', { a: '\ud800' }, ['a'], /surrogate/],
    ['an over-long string', { a: 'x'.repeat(DATA_LIMITS.stringLength + 1) }, ['a'], /at most 8192 characters/],
    ['Infinity (JSON 1e400)', { a: { b: Infinity } }, ['a', 'b'], /finite/],
    ['NaN', { a: Number.NaN }, ['a'], /finite/],
    ['an array with too many items', { a: new Array(DATA_LIMITS.entries + 1).fill(0) }, ['a'], /at most 1000 items/],
    ['an object with too many keys', { a: Object.fromEntries(Array.from({ length: DATA_LIMITS.entries + 1 }, (_, i) => [`k${i}`, i])) }, ['a'], /at most 1000 keys/],
    ['nesting one level too deep', { deep: nested(DATA_LIMITS.depth) }, ['deep', ...Array<string>(DATA_LIMITS.depth - 1).fill('a')], /nest more than 16 levels/],
  ])('%s is reported at its path', (_label, value, path, message) => {
    const problems = findDataLimitProblems(value);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toEqual(path);
    expect(problems[0]?.message).toMatch(message);
  });

  it.each([
    ['a key with a NUL', { a: { 'k\u0000': 1 } }, /keys must not contain NUL/],
    ['a key with an unpaired surrogate', { a: { '\udfff': 1 } }, /keys must not contain/],
    ['an over-long key', { a: { ['k'.repeat(DATA_LIMITS.keyLength + 1)]: 1 } }, /keys must be at most 256 characters/],
  ])('%s is reported at its object, never echoed', (_label, value, message) => {
    expect(findDataLimitProblems(value)).toEqual([{ path: ['a'], message: expect.stringMatching(message) }]);
  });

  it('walks hostile nesting without recursing, and stops at the first level too deep', () => {
    let deep: unknown = [];
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const problems = findDataLimitProblems({ deep });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toHaveLength(DATA_LIMITS.depth);
  });

  it('reports at most 10 problems, in document order', () => {
    const value = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, '\u0000']));
    const problems = findDataLimitProblems(value);
    expect(problems.map((p) => p.path)).toEqual(Array.from({ length: 10 }, (_, i) => [`k${i}`]));
  });
});
