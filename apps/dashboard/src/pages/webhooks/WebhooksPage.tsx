import type { Webhook } from '@inbox/sdk/web';
import { Link, useNavigate } from 'react-router';
import { useLastDelivery, useWebhookList } from '../../api/queries';
import { Badge } from '../../components/Badge';
import { ButtonLink } from '../../components/Button';
import { Card } from '../../components/Card';
import { PageHeader } from '../../components/PageHeader';
import { Pagination } from '../../components/Pagination';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { Table, type Column } from '../../components/Table';
import { attemptOutcome, webhookStatus } from '../../lib/outcome';
import { formatRelative } from '../../lib/time';
import { useCursorPages } from '../../lib/use-cursor-pages';
import styles from './WebhooksPage.module.css';

/** The newest attempt's outcome and when, for one row. */
function LastDelivery({ webhookId }: { webhookId: string }) {
  const last = useLastDelivery(webhookId);
  if (last.isPending) return <span className={styles.muted}>…</span>;
  if (last.isError) return <span className={styles.muted}>Unavailable</span>;
  if (!last.data) return <span className={styles.muted}>No deliveries yet</span>;
  const outcome = attemptOutcome(last.data);
  return (
    <span className={styles.last}>
      <Badge tone={outcome.tone}>{last.data.status_code ?? outcome.label}</Badge>
      <span className={styles.muted}>{formatRelative(last.data.requested_at)}</span>
    </span>
  );
}

export function EventList({ events }: { events: readonly string[] }) {
  return (
    <span className={styles.events}>
      {events.map((type) => (
        <code key={type} className={styles.event}>
          {type}
        </code>
      ))}
    </span>
  );
}

const COLUMNS: ReadonlyArray<Column<Webhook>> = [
  {
    key: 'url',
    header: 'Endpoint',
    cell: (w) => (
      <span className={styles.endpoint}>
        <Link to={`/webhooks/${w.id}`} className={styles.url}>
          {w.url}
        </Link>
        {w.description && <span className={styles.muted}>{w.description}</span>}
      </span>
    ),
  },
  { key: 'events', header: 'Events', cell: (w) => <EventList events={w.events} /> },
  {
    key: 'status',
    header: 'Status',
    cell: (w) => {
      const status = webhookStatus(w);
      return <Badge tone={status.tone}>{status.label}</Badge>;
    },
  },
  { key: 'last', header: 'Last delivery', cell: (w) => <LastDelivery webhookId={w.id} /> },
];

export function WebhooksPage() {
  const pages = useCursorPages('webhooks');
  const list = useWebhookList(pages.cursor);
  const navigate = useNavigate();
  const newWebhook = (
    <ButtonLink to="/webhooks/new" variant="primary">
      New webhook
    </ButtonLink>
  );

  return (
    <>
      <PageHeader title="Webhooks" meta="Endpoints that receive your message events, and how their deliveries are going." actions={list.data?.data.length ? newWebhook : undefined} />
      {list.isPending ? (
        <Loading label="Loading webhooks…" />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} title="Could not load your webhooks" />
      ) : list.data.data.length === 0 && pages.page === 0 ? (
        <EmptyState title="No webhooks yet" action={newWebhook}>
          Register an endpoint to receive message events. You can send it a test event right away.
        </EmptyState>
      ) : (
        <Card flush>
          <Table caption="Webhooks" columns={COLUMNS} rows={list.data.data} rowKey={(w) => w.id} onRowClick={(w) => void navigate(`/webhooks/${w.id}`)} />
          <Pagination
            label="Webhook pages"
            page={pages.page}
            hasPrevious={pages.hasPrevious}
            hasNext={list.data.next_cursor !== null}
            onPrevious={pages.previous}
            onNext={() => list.data.next_cursor && pages.next(list.data.next_cursor)}
          />
        </Card>
      )}
    </>
  );
}
