import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { inbox } from '../../api/client';
import { refreshWebhook, useWebhook } from '../../api/queries';
import { Card } from '../../components/Card';
import { PageHeader } from '../../components/PageHeader';
import { ErrorState, Loading } from '../../components/States';
import { WebhookForm, type WebhookValues } from './WebhookForm';
import styles from './WebhookForm.module.css';

export function EditWebhookPage() {
  const { webhookId = '' } = useParams();
  const webhook = useWebhook(webhookId);
  const client = useQueryClient();
  const navigate = useNavigate();
  const save = useMutation({
    mutationFn: (values: WebhookValues) => inbox.webhooks.update(webhookId, values),
    onSuccess: async () => {
      await refreshWebhook(client, webhookId);
      void navigate(`/webhooks/${webhookId}`, { state: { notice: 'Changes saved.' } });
    },
  });
  const back = `/webhooks/${webhookId}`;
  return (
    <div className={styles.page}>
      <PageHeader title="Edit webhook" back={{ to: back, label: 'Webhook' }} />
      {webhook.isPending ? (
        <Loading />
      ) : webhook.isError ? (
        <ErrorState error={webhook.error} onRetry={() => void webhook.refetch()} title="Could not load this webhook" />
      ) : (
        <Card>
          <WebhookForm initial={webhook.data} submitLabel="Save changes" cancelTo={back} busy={save.isPending} error={save.error} onSubmit={(values) => save.mutate(values)} />
        </Card>
      )}
    </div>
  );
}
