import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { useCursorPages } from '../lib/use-cursor-pages';
import { Pagination } from './Pagination';

/** Three pages of a cursor list, as the API would answer them. */
const NEXT: Record<string, string | null> = { first: 'c1', c1: 'c2', c2: null };

function Harness() {
  const [filter, setFilter] = useState('a');
  const pages = useCursorPages(filter);
  const at = pages.cursor ?? 'first';
  const next = NEXT[at] ?? null;
  return (
    <>
      <p>showing {at}</p>
      <button onClick={() => setFilter('b')}>change filter</button>
      <Pagination label="Pages" page={pages.page} hasPrevious={pages.hasPrevious} hasNext={next !== null} onPrevious={pages.previous} onNext={() => next && pages.next(next)} />
    </>
  );
}

describe('<Pagination> with useCursorPages', () => {
  it('pages forward and back through cursors, and starts over when the filters change', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    const previous = () => screen.getByRole('button', { name: '← Previous' }) as HTMLButtonElement;
    const next = () => screen.getByRole('button', { name: 'Next →' }) as HTMLButtonElement;
    expect(screen.getByRole('navigation', { name: 'Pages' })).toBeTruthy();
    expect(previous().disabled).toBe(true);

    await user.click(next());
    await user.click(next());
    expect(screen.getByText('showing c2')).toBeTruthy();
    expect(screen.getByText('Page 3')).toBeTruthy();
    expect(next().disabled).toBe(true);

    await user.click(previous());
    expect(screen.getByText('showing c1')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'change filter' }));
    expect(screen.getByText('showing first')).toBeTruthy();
    expect(screen.getByText('Page 1')).toBeTruthy();
  });

  it('is not shown when everything fits on one page', () => {
    render(<Pagination label="Pages" page={0} hasPrevious={false} hasNext={false} onPrevious={() => {}} onNext={() => {}} />);
    expect(screen.queryByRole('navigation')).toBeNull();
  });
});
