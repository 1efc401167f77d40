import type { Page } from './types.js';

/**
 * A list that follows `next_cursor` for you: `for await (const item of list)` walks every item
 * across pages (fetched one at a time, as the loop needs them); `page()` gets just one page.
 */
export class PagedList<T> implements AsyncIterable<T> {
  constructor(
    private readonly fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
    private readonly startCursor?: string,
  ) {}

  /** One page: the first (or the one at the `cursor` given to the list call). */
  page(): Promise<Page<T>> {
    return this.fetchPage(this.startCursor);
  }

  /** Every page, in order, until `next_cursor` is null. */
  async *pages(): AsyncGenerator<Page<T>, void, undefined> {
    let cursor = this.startCursor;
    for (;;) {
      const page = await this.fetchPage(cursor);
      yield page;
      if (page.next_cursor === null || page.next_cursor === undefined || page.data.length === 0) return;
      cursor = page.next_cursor;
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) yield* page.data;
  }

  /** Every item in one array (stops after `max` items when given: guard against huge lists). */
  async toArray({ max = Infinity }: { max?: number } = {}): Promise<T[]> {
    const out: T[] = [];
    for await (const item of this) {
      if (out.length >= max) break;
      out.push(item);
    }
    return out;
  }
}
