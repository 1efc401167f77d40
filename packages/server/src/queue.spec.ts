import { queuePrefix } from './queue.js';

describe('queuePrefix', () => {
  it('keeps a prefix that has a hash tag, and wraps one that has none in braces', () => {
    expect(queuePrefix({ queuePrefix: '{inbox}' })).toBe('{inbox}');
    expect(queuePrefix({ queuePrefix: 'prod:{inbox}' })).toBe('prod:{inbox}');
    expect(queuePrefix({ queuePrefix: 'inbox' })).toBe('{inbox}');
  });

  it('wraps prefixes whose braces Redis would not take as a hash tag (empty, unclosed)', () => {
    expect(queuePrefix({ queuePrefix: '{}inbox' })).toBe('{{}inbox}');
    expect(queuePrefix({ queuePrefix: 'inbox{' })).toBe('{inbox{}');
  });
});
