/**
 * Keyset pagination as the API does it (`next_cursor`), with a way back: the cursor of every page
 * seen so far. Page 0's cursor is undefined.
 */
export interface CursorPages {
  cursors: ReadonlyArray<string | undefined>;
  index: number;
}

export const FIRST_PAGE: CursorPages = { cursors: [undefined], index: 0 };

export const currentCursor = (pages: CursorPages): string | undefined => pages.cursors[pages.index];

export const hasPrevious = (pages: CursorPages): boolean => pages.index > 0;

/** Forward to the page after the current one, whose cursor the current page's answer gave. */
export function nextPage(pages: CursorPages, nextCursor: string): CursorPages {
  const cursors = [...pages.cursors.slice(0, pages.index + 1), nextCursor];
  return { cursors, index: pages.index + 1 };
}

export function previousPage(pages: CursorPages): CursorPages {
  return hasPrevious(pages) ? { ...pages, index: pages.index - 1 } : pages;
}
