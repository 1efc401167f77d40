import type { AttemptLog, Webhook } from '@inbox/sdk/web';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { LOG_REFRESH_MS, useLogs } from '../../api/queries';
import { Badge } from '../../components/Badge';
import { Card } from '../../components/Card';
import { Pagination } from '../../components/Pagination';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { Table, type Column } from '../../components/Table';
import { filtersFromSearch, filtersToSearch, hasActiveFilters, type LogFilters as Filters } from '../../lib/log-filters';
import { attemptOutcome, statusCodeText } from '../../lib/outcome';
import { formatDateTime, formatDuration, formatRelative } from '../../lib/time';
import { useCursorPages } from '../../lib/use-cursor-pages';
import { LogFilters } from './LogFilters';
import styles from './WebhookPage.module.css';

export const attemptPath = (webhookId: string, a: Pick<AttemptLog, 'event_id' | 'id'>) => `/webhooks/${webhookId}/events/${encodeURIComponent(a.event_id)}?attempt=${a.id}`;

function columns(webhookId: string): ReadonlyArray<Column<AttemptLog>> {
  return [
    { key: 'time', header: 'Time', cell: (a) => <time dateTime={a.requested_at}>{formatDateTime(a.requested_at)}</time> },
    { key: 'type', header: 'Event type', cell: (a) => <code>{a.event_type}</code> },
    {
      key: 'event',
      header: 'Event ID',
      mono: true,
      cell: (a) => (
        <Link to={attemptPath(webhookId, a)} aria-label={`Attempt ${a.attempt} of event ${a.event_id}`}>
          {a.event_id}
        </Link>
      ),
    },
    { key: 'attempt', header: 'Attempt', align: 'right', cell: (a) => a.attempt },
    {
      key: 'status',
      header: 'Status code',
      cell: (a) => <span className={a.status_code === null ? styles.muted : a.succeeded ? styles.ok : styles.bad}>{statusCodeText(a)}</span>,
    },
    { key: 'duration', header: 'Duration', align: 'right', cell: (a) => formatDuration(a.duration_ms) },
    {
      key: 'outcome',
      header: 'Outcome',
      cell: (a) => {
        const outcome = attemptOutcome(a);
        return <Badge tone={outcome.tone}>{outcome.label}</Badge>;
      },
    },
    { key: 'retry', header: 'Next retry', cell: (a) => (a.next_retry_at ? <time dateTime={a.next_retry_at}>{formatRelative(a.next_retry_at)}</time> : <span className={styles.muted}>—</span>) },
  ];
}

/** The webhook's delivery attempts: filtered (in the URL), paginated, refreshing itself while open. */
export function DeliveryLog({ webhook, eventTypes }: { webhook: Webhook; eventTypes: readonly string[] }) {
  const [search, setSearch] = useSearchParams();
  const filters = filtersFromSearch(search, eventTypes);
  const pages = useCursorPages(JSON.stringify(filters));
  const logs = useLogs(webhook.id, filters, pages.cursor);
  const navigate = useNavigate();
  const setFilters = (next: Filters) => setSearch(filtersToSearch(next, search), { replace: true });

  return (
    <Card
      id="deliveries"
      title="Deliveries"
      description={
        <span className={styles.live}>
          <span className={styles.liveDot} aria-hidden="true" />
          Every attempt, newest first. Refreshes every {LOG_REFRESH_MS / 1000} s.
        </span>
      }
      flush
    >
      <LogFilters filters={filters} eventTypes={eventTypes} onChange={setFilters} />
      {logs.isPending ? (
        <Loading label="Loading deliveries…" />
      ) : logs.isError ? (
        <ErrorState error={logs.error} onRetry={() => void logs.refetch()} title="Could not load the deliveries" />
      ) : logs.data.data.length === 0 ? (
        <div className={styles.padded}>
          <EmptyState title={hasActiveFilters(filters) ? 'No deliveries match these filters' : 'No deliveries yet'}>
            {hasActiveFilters(filters) ? 'Try another status, event type or time range.' : 'Send a test event above: its delivery shows up here within seconds.'}
          </EmptyState>
        </div>
      ) : (
        <>
          <Table
            caption="Delivery attempts"
            columns={columns(webhook.id)}
            rows={logs.data.data}
            rowKey={(a) => a.id}
            onRowClick={(a) => void navigate(attemptPath(webhook.id, a))}
          />
          <Pagination
            label="Delivery pages"
            page={pages.page}
            hasPrevious={pages.hasPrevious}
            hasNext={logs.data.next_cursor !== null}
            onPrevious={pages.previous}
            onNext={() => logs.data.next_cursor && pages.next(logs.data.next_cursor)}
          />
        </>
      )}
    </Card>
  );
}
