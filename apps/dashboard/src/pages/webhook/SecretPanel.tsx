import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { RotatedSecret } from '@inbox/sdk/web';
import { inbox } from '../../api/client';
import { keys, useSecret } from '../../api/queries';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { errorMessage, Notice } from '../../components/States';
import { formatDateTime } from '../../lib/time';
import styles from './WebhookPage.module.css';

const MASK = 'whsec_' + '•'.repeat(24);

/** The signing secret: masked until revealed (fetched only then); rotation with a day of overlap. */
export function SecretPanel({ webhookId }: { webhookId: string }) {
  const [revealed, setRevealed] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [rotated, setRotated] = useState<RotatedSecret | null>(null);
  const secret = useSecret(webhookId, revealed);
  const client = useQueryClient();
  const rotate = useMutation({
    mutationFn: () => inbox.webhooks.rotateSecret(webhookId),
    onSuccess: (answer) => {
      setConfirming(false);
      setRotated(answer);
      client.setQueryData(keys.secret(webhookId), { secret: answer.secret });
    },
  });
  const shown = revealed ? (secret.data?.secret ?? (secret.isError ? 'Could not load the secret' : 'Loading…')) : MASK;

  return (
    <div className={styles.secret}>
      <div className={styles.secretRow}>
        <code className={styles.secretValue} aria-label={revealed ? 'Signing secret' : 'Signing secret (hidden)'}>
          {shown}
        </code>
        <Button size="sm" onClick={() => setRevealed(!revealed)} aria-pressed={revealed}>
          {revealed ? 'Hide secret' : 'Reveal secret'}
        </Button>
        <Button size="sm" onClick={() => setConfirming(true)}>
          Rotate secret
        </Button>
      </div>
      {rotated && (
        <Notice tone="success">
          New secret in use.{' '}
          {rotated.previous_secret_expires_at
            ? `The old one keeps signing beside it until ${formatDateTime(rotated.previous_secret_expires_at)}: deploy the new one before then.`
            : 'The old one stopped signing at once.'}
        </Notice>
      )}
      {rotate.isError && <Notice tone="error">{errorMessage(rotate.error)}</Notice>}
      <ConfirmDialog
        open={confirming}
        title="Rotate the signing secret?"
        confirmLabel="Rotate secret"
        tone="primary"
        busy={rotate.isPending}
        onConfirm={() => rotate.mutate()}
        onCancel={() => setConfirming(false)}
      >
        <p>A new secret signs every delivery from now on. The current one keeps signing beside it for 24 hours, so your receiver can switch without refusing a delivery.</p>
      </ConfirmDialog>
    </div>
  );
}
