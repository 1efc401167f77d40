import { useState } from 'react';
import { currentCursor, FIRST_PAGE, hasPrevious, nextPage, previousPage, type CursorPages } from './cursor-pages';

/** Cursor pagination state for one list; back to the first page whenever `resetKey` changes (new filters). */
export function useCursorPages(resetKey: string) {
  const [state, setState] = useState<{ key: string; pages: CursorPages }>({ key: resetKey, pages: FIRST_PAGE });
  const pages = state.key === resetKey ? state.pages : FIRST_PAGE;
  if (state.key !== resetKey) setState({ key: resetKey, pages: FIRST_PAGE });
  return {
    cursor: currentCursor(pages),
    page: pages.index,
    hasPrevious: hasPrevious(pages),
    next: (cursor: string) => setState({ key: resetKey, pages: nextPage(pages, cursor) }),
    previous: () => setState({ key: resetKey, pages: previousPage(pages) }),
  };
}
