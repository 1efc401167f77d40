import type { DeliveryStatus, LogsParams } from '@inbox/sdk/web';

/** The delivery log's filters, kept in the page's URL so a filtered view can be shared and reloaded. */
export type StatusFilter = 'all' | DeliveryStatus;
export type TimeRange = '1h' | '24h' | '7d' | 'all';

export interface LogFilters {
  status: StatusFilter;
  /** An event type, or 'all'. */
  eventType: string;
  range: TimeRange;
}

export const DEFAULT_FILTERS: LogFilters = { status: 'all', eventType: 'all', range: 'all' };

export const STATUS_OPTIONS: ReadonlyArray<{ value: StatusFilter; label: string }> = [
  { value: 'all', label: 'All statuses' },
  { value: 'succeeded', label: 'Succeeded' },
  { value: 'failed', label: 'Failed' },
  { value: 'pending', label: 'Retrying' },
];

export const RANGE_OPTIONS: ReadonlyArray<{ value: TimeRange; label: string; ms: number | null }> = [
  { value: '1h', label: 'Last hour', ms: 3_600_000 },
  { value: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { value: 'all', label: 'Any time', ms: null },
];

const PARAM = { status: 'status', eventType: 'event_type', range: 'range' } as const;

/** Filters from the URL; a value that is not an option (an old link, a typo) falls back to its default. */
export function filtersFromSearch(params: URLSearchParams, eventTypes: readonly string[]): LogFilters {
  const status = params.get(PARAM.status);
  const eventType = params.get(PARAM.eventType);
  const range = params.get(PARAM.range);
  return {
    status: STATUS_OPTIONS.some((o) => o.value === status) ? (status as StatusFilter) : DEFAULT_FILTERS.status,
    eventType: eventType !== null && eventTypes.includes(eventType) ? eventType : DEFAULT_FILTERS.eventType,
    range: RANGE_OPTIONS.some((o) => o.value === range) ? (range as TimeRange) : DEFAULT_FILTERS.range,
  };
}

/** The URL's search params with these filters (defaults left out), other params kept. */
export function filtersToSearch(filters: LogFilters, base: URLSearchParams = new URLSearchParams()): URLSearchParams {
  const next = new URLSearchParams(base);
  for (const key of Object.keys(PARAM) as Array<keyof LogFilters>) {
    if (filters[key] === DEFAULT_FILTERS[key]) next.delete(PARAM[key]);
    else next.set(PARAM[key], filters[key]);
  }
  return next;
}

export function hasActiveFilters(filters: LogFilters): boolean {
  return (Object.keys(DEFAULT_FILTERS) as Array<keyof LogFilters>).some((key) => filters[key] !== DEFAULT_FILTERS[key]);
}

/** The logs API's query for these filters at `now` (the range counts back from then). */
export function logsQuery(filters: LogFilters, now: number): Pick<LogsParams, 'status' | 'event_type' | 'since'> {
  const rangeMs = RANGE_OPTIONS.find((o) => o.value === filters.range)?.ms ?? null;
  return {
    ...(filters.status !== 'all' && { status: filters.status }),
    ...(filters.eventType !== 'all' && { event_type: filters.eventType as LogsParams['event_type'] }),
    ...(rangeMs !== null && { since: new Date(now - rangeMs).toISOString() }),
  };
}
