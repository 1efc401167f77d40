import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Webhook } from '@inbox/sdk/web';
import { useNavigate } from 'react-router';
import { inbox } from '../../api/client';
import { keys, refreshWebhook } from '../../api/queries';
import { Button, ButtonLink } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { errorMessage, Notice } from '../../components/States';

/** Edit, enable or disable, and delete (after a confirmation). */
export function WebhookActions({ webhook }: { webhook: Webhook }) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const enabled = webhook.status === 'enabled';
  const toggle = useMutation({
    mutationFn: () =>
      inbox.webhooks.update(webhook.id, { url: webhook.url, events: webhook.events, description: webhook.description, status: enabled ? 'disabled' : 'enabled' }),
    onSuccess: () => refreshWebhook(client, webhook.id),
  });
  const remove = useMutation({
    mutationFn: () => inbox.webhooks.delete(webhook.id),
    onSuccess: async () => {
      client.removeQueries({ queryKey: keys.webhook(webhook.id) });
      await client.invalidateQueries({ queryKey: keys.webhooks });
      void navigate('/webhooks', { replace: true });
    },
  });
  const failed = toggle.error ?? remove.error;

  return (
    <>
      <ButtonLink to={`/webhooks/${webhook.id}/edit`}>Edit</ButtonLink>
      <Button onClick={() => toggle.mutate()} busy={toggle.isPending}>
        {enabled ? 'Disable' : 'Enable'}
      </Button>
      <Button variant="danger" onClick={() => setConfirmingDelete(true)}>
        Delete
      </Button>
      {failed && <Notice tone="error">{errorMessage(failed)}</Notice>}
      <ConfirmDialog
        open={confirmingDelete}
        title="Delete this webhook?"
        confirmLabel="Delete webhook"
        busy={remove.isPending}
        onConfirm={() => remove.mutate()}
        onCancel={() => setConfirmingDelete(false)}
      >
        <p>
          <strong>{webhook.url}</strong> stops receiving events at once, and pending deliveries to it stop. This cannot be undone.
        </p>
      </ConfirmDialog>
    </>
  );
}
