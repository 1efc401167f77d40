import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { EventDetail, SentAttempt } from '@inbox/sdk/web';
import { useParams, useSearchParams } from 'react-router';
import { inbox } from '../../api/client';
import { keys, useEvent, useWebhook } from '../../api/queries';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, ErrorState, errorMessage, Loading, Notice } from '../../components/States';
import { Table, type Column } from '../../components/Table';
import { attemptOutcome, statusCodeText } from '../../lib/outcome';
import { formatDateTime, formatDuration } from '../../lib/time';
import { AttemptDetail } from './AttemptDetail';
import styles from './EventPage.module.css';

/** Every attempt of the event to this webhook (the first delivery and each resend), newest first. */
function attemptsTo(event: EventDetail, webhookId: string): SentAttempt[] {
  return event.deliveries
    .filter((d) => d.webhook_id === webhookId)
    .flatMap((d) => d.attempt_log)
    .sort((a, b) => (a.id < b.id ? 1 : -1));
}

const COLUMNS: ReadonlyArray<Column<SentAttempt>> = [
  { key: 'time', header: 'Time', cell: (a) => <time dateTime={a.requested_at}>{formatDateTime(a.requested_at)}</time> },
  { key: 'attempt', header: 'Attempt', align: 'right', cell: (a) => a.attempt },
  { key: 'status', header: 'Status code', mono: true, cell: (a) => statusCodeText(a) },
  { key: 'duration', header: 'Duration', align: 'right', cell: (a) => formatDuration(a.duration_ms) },
  {
    key: 'outcome',
    header: 'Outcome',
    cell: (a) => {
      const outcome = attemptOutcome(a);
      return <Badge tone={outcome.tone}>{outcome.label}</Badge>;
    },
  },
];

/** One event as this webhook got it: its attempts, the one opened in full, and Resend. */
export function EventPage() {
  const { webhookId = '', eventId = '' } = useParams();
  const [search, setSearch] = useSearchParams();
  const event = useEvent(eventId);
  const webhook = useWebhook(webhookId);
  const client = useQueryClient();
  const resend = useMutation({
    mutationFn: () => inbox.webhooks.resend(webhookId, eventId),
    onSuccess: () => Promise.all([client.invalidateQueries({ queryKey: keys.event(eventId) }), client.invalidateQueries({ queryKey: keys.webhook(webhookId) })]),
  });

  const back = { to: `/webhooks/${webhookId}`, label: webhook.data?.url ?? 'Webhook' };
  if (event.isPending) return <Loading label="Loading event…" />;
  if (event.isError) return <ErrorState error={event.error} onRetry={() => void event.refetch()} title="Could not load this event" />;

  const attempts = attemptsTo(event.data, webhookId);
  const selected = attempts.find((a) => a.id === search.get('attempt')) ?? attempts[0];
  return (
    <>
      <PageHeader
        title={<span className={styles.eventTitle}>{event.data.id}</span>}
        back={back}
        meta={
          <>
            <code>{event.data.type}</code>
            <span>Created {formatDateTime(event.data.created_at)}</span>
          </>
        }
        actions={
          <Button variant="primary" onClick={() => resend.mutate()} busy={resend.isPending} disabled={webhook.data?.status === 'disabled'}>
            Resend
          </Button>
        }
      />
      <div className={styles.page}>
        {resend.isSuccess && <Notice tone="success">Sent again as a new delivery. Its attempts appear below.</Notice>}
        {resend.isError && <Notice tone="error">{errorMessage(resend.error)}</Notice>}
        <Card title="Attempts" description="Every try to this webhook, resends included. Select one to see it in full." flush>
          {attempts.length === 0 ? (
            <div className={styles.padded}>
              <EmptyState title="No attempts yet">The first attempt is made within seconds of the event.</EmptyState>
            </div>
          ) : (
            <Table
              caption="Attempts of this event"
              columns={[
                ...COLUMNS,
                {
                  key: 'open',
                  header: 'Details',
                  cell: (a) =>
                    a.id === selected?.id ? (
                      <span className={styles.muted}>Shown below</span>
                    ) : (
                      <Button size="sm" variant="ghost" onClick={() => setSearch({ attempt: a.id }, { replace: true })}>
                        Open attempt {a.attempt}
                      </Button>
                    ),
                },
              ]}
              rows={attempts}
              rowKey={(a) => a.id}
              selectedKey={selected?.id}
              onRowClick={(a) => setSearch({ attempt: a.id }, { replace: true })}
            />
          )}
        </Card>
        {selected && <AttemptDetail attempt={selected} body={event.data.body} url={webhook.data?.url} />}
      </div>
    </>
  );
}
