import { DEFAULT_FILTERS, filtersFromSearch, filtersToSearch, hasActiveFilters, logsQuery } from './log-filters';

const TYPES = ['message.delivered', 'message.read'];

describe('delivery log filters', () => {
  it('reads filters from the URL, ignoring values that are not options', () => {
    expect(filtersFromSearch(new URLSearchParams(''), TYPES)).toEqual(DEFAULT_FILTERS);
    expect(filtersFromSearch(new URLSearchParams('status=failed&event_type=message.read&range=24h'), TYPES)).toEqual({ status: 'failed', eventType: 'message.read', range: '24h' });
    expect(filtersFromSearch(new URLSearchParams('status=exploded&event_type=message.unknown&range=1y'), TYPES)).toEqual(DEFAULT_FILTERS);
  });

  it('writes filters to the URL without defaults, keeping other parameters', () => {
    const base = new URLSearchParams('attempt=att_1&status=failed');
    expect(filtersToSearch({ ...DEFAULT_FILTERS, range: '7d' }, base).toString()).toBe('attempt=att_1&range=7d');
    expect(filtersToSearch(DEFAULT_FILTERS).toString()).toBe('');
    const round = filtersToSearch({ status: 'pending', eventType: 'message.delivered', range: '1h' });
    expect(filtersFromSearch(round, TYPES)).toEqual({ status: 'pending', eventType: 'message.delivered', range: '1h' });
  });

  it('knows when any filter is on', () => {
    expect(hasActiveFilters(DEFAULT_FILTERS)).toBe(false);
    expect(hasActiveFilters({ ...DEFAULT_FILTERS, eventType: 'message.read' })).toBe(true);
  });

  it("turns filters into the logs API's query, the range counted back from now", () => {
    const now = Date.parse('2025-01-15T10:00:00Z');
    expect(logsQuery(DEFAULT_FILTERS, now)).toEqual({});
    expect(logsQuery({ status: 'failed', eventType: 'message.read', range: '1h' }, now)).toEqual({ status: 'failed', event_type: 'message.read', since: '2025-01-15T09:00:00.000Z' });
    expect(logsQuery({ ...DEFAULT_FILTERS, range: '7d' }, now)).toEqual({ since: '2025-01-08T10:00:00.000Z' });
  });
});
