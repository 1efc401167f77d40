import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { inbox } from '../../api/client';
import { keys } from '../../api/queries';
import { Card } from '../../components/Card';
import { PageHeader } from '../../components/PageHeader';
import { WebhookForm, type WebhookValues } from './WebhookForm';
import styles from './WebhookForm.module.css';

export function NewWebhookPage() {
  const client = useQueryClient();
  const navigate = useNavigate();
  const create = useMutation({
    mutationFn: (values: WebhookValues) => inbox.webhooks.create(values),
    onSuccess: async (webhook) => {
      await client.invalidateQueries({ queryKey: keys.webhooks });
      void navigate(`/webhooks/${webhook.id}`, { state: { notice: 'Webhook created. Reveal its signing secret below to verify the deliveries it receives.' } });
    },
  });
  return (
    <div className={styles.page}>
      <PageHeader title="New webhook" back={{ to: '/webhooks', label: 'Webhooks' }} />
      <Card>
        <WebhookForm
          initial={{ url: '', description: null, events: [], rate_limit: null }}
          submitLabel="Create"
          cancelTo="/webhooks"
          busy={create.isPending}
          error={create.error}
          onSubmit={(values) => create.mutate(values)}
        />
      </Card>
    </div>
  );
}
