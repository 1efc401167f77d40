import { ThrottledWarning } from './throttled-warning.js';

describe('ThrottledWarning', () => {
  it('writes the first warning, then at most one per interval, counting the ones it held back', () => {
    const lines: string[] = [];
    const warning = new ThrottledWarning((m) => lines.push(m), 10_000);
    warning.warn('redis down', 0);
    warning.warn('redis down', 1_000);
    warning.warn('redis down', 9_999);
    expect(lines).toEqual(['redis down']);
    warning.warn('redis still down', 10_000);
    warning.warn('redis still down', 25_000);
    expect(lines).toEqual(['redis down', 'redis still down (2 more since the last such warning)', 'redis still down']);
  });
});
