import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { EventType, Webhook } from '@inbox/sdk/web';
import { inbox } from '../../api/client';
import { keys } from '../../api/queries';
import { Button } from '../../components/Button';
import { SelectField } from '../../components/Field';
import { errorMessage, Notice } from '../../components/States';
import styles from './WebhookPage.module.css';

/** Sends the docs' example event of a chosen type through the real pipeline; its row appears in the log. */
export function SendTestEvent({ webhook }: { webhook: Webhook }) {
  const [eventType, setEventType] = useState<EventType>(webhook.events[0] ?? 'message.delivered');
  const client = useQueryClient();
  const send = useMutation({
    mutationFn: () => inbox.webhooks.test(webhook.id, eventType),
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.webhook(webhook.id) }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    send.mutate();
  };
  const disabled = webhook.status !== 'enabled';
  return (
    <form className={styles.inlineForm} onSubmit={submit}>
      <div className={styles.grow}>
        <SelectField label="Event type" value={eventType} onChange={(e) => setEventType(e.target.value as EventType)} options={webhook.events.map((t) => ({ value: t, label: t }))} />
      </div>
      <Button type="submit" variant="primary" busy={send.isPending} disabled={disabled} title={disabled ? 'Enable the webhook to send it events' : undefined}>
        Send test event
      </Button>
      {send.isSuccess && (
        <div className={styles.full}>
          <Notice tone="success">
            Sent <code>{send.data.event_id}</code>. Its delivery appears in the log below within seconds.
          </Notice>
        </div>
      )}
      {send.isError && (
        <div className={styles.full}>
          <Notice tone="error">{errorMessage(send.error)}</Notice>
        </div>
      )}
    </form>
  );
}
