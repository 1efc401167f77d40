import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { inbox } from '../../api/client';
import { keys } from '../../api/queries';
import { Button } from '../../components/Button';
import { TextField } from '../../components/Field';
import { Notice } from '../../components/States';
import { formErrors } from '../../lib/form-errors';
import { fromLocalInputValue, toLocalInputValue } from '../../lib/time';
import styles from './WebhookPage.module.css';

/** Sends again every event since a time whose delivery to this webhook failed (`POST …/recover`). */
export function RecoverFailed({ webhookId, disabled }: { webhookId: string; disabled: boolean }) {
  const [since, setSince] = useState(() => toLocalInputValue(new Date(Date.now() - 86_400_000)));
  const client = useQueryClient();
  const recover = useMutation({
    mutationFn: () => {
      const at = fromLocalInputValue(since);
      return inbox.webhooks.recover(webhookId, { since: at ?? since });
    },
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.webhook(webhookId) }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    recover.mutate();
  };
  const errors = recover.isError ? formErrors(recover.error, ['since', 'until']) : null;
  return (
    <form className={styles.inlineForm} onSubmit={submit} noValidate>
      <div className={styles.grow}>
        <TextField
          label="Recover failed since…"
          type="datetime-local"
          value={since}
          onChange={(e) => setSince(e.target.value)}
          error={errors?.fields.since}
          hint="Every event since then whose delivery failed is sent again, once (up to 14 days back)."
        />
      </div>
      <Button type="submit" busy={recover.isPending} disabled={disabled}>
        Recover
      </Button>
      {recover.isSuccess && (
        <div className={styles.full}>
          <Notice tone={recover.data.deliveries > 0 ? 'success' : 'info'}>
            {recover.data.deliveries === 0 ? 'No failed deliveries in that window: nothing to send again.' : `${recover.data.deliveries} failed event${recover.data.deliveries === 1 ? '' : 's'} sent again.`}
          </Notice>
        </div>
      )}
      {errors?.form && (
        <div className={styles.full}>
          <Notice tone="error">{errors.form}</Notice>
        </div>
      )}
    </form>
  );
}
