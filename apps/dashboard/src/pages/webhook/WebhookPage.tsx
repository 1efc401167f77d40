import type { Webhook } from '@inbox/sdk/web';
import { useLocation, useParams } from 'react-router';
import { useEventTypes, useWebhook } from '../../api/queries';
import { Badge } from '../../components/Badge';
import { Card, Details, Subheading } from '../../components/Card';
import { PageHeader } from '../../components/PageHeader';
import { ErrorState, Loading, Notice } from '../../components/States';
import { disabledExplanation, webhookStatus } from '../../lib/outcome';
import { formatDateTime } from '../../lib/time';
import { EventList } from '../webhooks/WebhooksPage';
import { DeliveryLog } from './DeliveryLog';
import { RecoverFailed } from './RecoverFailed';
import { SecretPanel } from './SecretPanel';
import { SendTestEvent } from './SendTestEvent';
import { StatsCharts } from './StatsCharts';
import { WebhookActions } from './WebhookActions';
import styles from './WebhookPage.module.css';

function Settings({ webhook }: { webhook: Webhook }) {
  return (
    <Card title="Settings">
      <div className={styles.stack}>
        <Details
          items={[
            { term: 'Events', value: <EventList events={webhook.events} /> },
            { term: 'Rate limit', value: webhook.rate_limit === null ? 'No limit' : `${webhook.rate_limit.toLocaleString()} per second` },
            { term: 'Created', value: formatDateTime(webhook.created_at) },
            { term: 'Webhook ID', value: <code>{webhook.id}</code> },
          ]}
        />
        <div>
          <Subheading>Signing secret</Subheading>
          <SecretPanel webhookId={webhook.id} />
        </div>
      </div>
    </Card>
  );
}

export function WebhookPage() {
  const { webhookId = '' } = useParams();
  const webhook = useWebhook(webhookId);
  const eventTypes = useEventTypes();
  const notice = (useLocation().state as { notice?: string } | null)?.notice;

  if (webhook.isPending) return <Loading label="Loading webhook…" />;
  if (webhook.isError) return <ErrorState error={webhook.error} onRetry={() => void webhook.refetch()} title="Could not load this webhook" />;

  const w = webhook.data;
  const status = webhookStatus(w);
  const disabled = disabledExplanation(w);
  return (
    <>
      <PageHeader
        title={w.url}
        back={{ to: '/webhooks', label: 'Webhooks' }}
        meta={
          <>
            <Badge tone={status.tone}>{status.label}</Badge>
            {w.description && <span>{w.description}</span>}
          </>
        }
        actions={<WebhookActions webhook={w} />}
      />
      <div className={styles.page}>
        {notice && <Notice tone="success">{notice}</Notice>}
        {disabled && <Notice tone="info">{disabled}</Notice>}
        <StatsCharts webhookId={w.id} />
        <div className={styles.columns}>
          <Settings webhook={w} />
          <div className={styles.stack}>
            <Card title="Send a test event" description="The docs' example event of that type, signed and delivered like a real one.">
              <SendTestEvent webhook={w} />
            </Card>
            <Card title="Recover failed deliveries" description="After an outage on your side: send again what failed.">
              <RecoverFailed webhookId={w.id} disabled={w.status !== 'enabled'} />
            </Card>
          </div>
        </div>
        <DeliveryLog webhook={w} eventTypes={eventTypes.data?.map((t) => t.type) ?? w.events} />
      </div>
    </>
  );
}
