import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { DEFAULT_FILTERS, type LogFilters as Filters } from '../../lib/log-filters';
import { LogFilters } from './LogFilters';

function Harness({ onChange }: { onChange: (f: Filters) => void }) {
  const [filters, setFilters] = useState(DEFAULT_FILTERS);
  return (
    <LogFilters
      filters={filters}
      eventTypes={['message.delivered', 'message.read']}
      onChange={(next) => {
        setFilters(next);
        onChange(next);
      }}
    />
  );
}

describe('<LogFilters>', () => {
  it('has a labelled control per filter, reports each change, and clears them all', async () => {
    const user = userEvent.setup();
    const changes: Filters[] = [];
    render(<Harness onChange={(f) => changes.push(f)} />);
    expect(screen.getByRole('group', { name: 'Filter deliveries' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Clear filters' })).toBeNull();

    await user.selectOptions(screen.getByLabelText('Status'), 'failed');
    await user.selectOptions(screen.getByLabelText('Event type'), 'message.read');
    await user.selectOptions(screen.getByLabelText('Time range'), '24h');
    expect(changes.at(-1)).toEqual({ status: 'failed', eventType: 'message.read', range: '24h' });
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(expect.arrayContaining(['Retrying', 'All event types', 'message.read', 'Last hour']));

    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(changes.at(-1)).toEqual(DEFAULT_FILTERS);
    expect((screen.getByLabelText('Status') as HTMLSelectElement).value).toBe('all');
  });
});
