import { currentCursor, FIRST_PAGE, hasPrevious, nextPage, previousPage } from './cursor-pages';

describe('cursor pagination', () => {
  it('walks forward by next_cursor and back through the cursors seen', () => {
    expect(currentCursor(FIRST_PAGE)).toBeUndefined();
    expect(hasPrevious(FIRST_PAGE)).toBe(false);
    const second = nextPage(FIRST_PAGE, 'c1');
    const third = nextPage(second, 'c2');
    expect([currentCursor(second), currentCursor(third), third.index]).toEqual(['c1', 'c2', 2]);
    const back = previousPage(third);
    expect([currentCursor(back), hasPrevious(back)]).toEqual(['c1', true]);
    expect(currentCursor(previousPage(back))).toBeUndefined();
    expect(previousPage(FIRST_PAGE)).toBe(FIRST_PAGE);
  });

  it('forgets the pages ahead when it goes forward from an earlier page', () => {
    const third = nextPage(nextPage(FIRST_PAGE, 'c1'), 'c2');
    const branched = nextPage(previousPage(third), 'c2-new');
    expect(branched.cursors).toEqual([undefined, 'c1', 'c2-new']);
  });
});
