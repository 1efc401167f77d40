import type { AttemptLog, Webhook } from '@inbox/sdk/web';

export type Tone = 'success' | 'danger' | 'warning' | 'info' | 'neutral';

export interface Label {
  label: string;
  tone: Tone;
}

/** What became of one attempt: it succeeded, it failed for good, or it failed and the delivery will retry. */
export function attemptOutcome(attempt: Pick<AttemptLog, 'succeeded' | 'delivery_status'>): Label {
  if (attempt.succeeded) return { label: 'Succeeded', tone: 'success' };
  if (attempt.delivery_status === 'pending') return { label: 'Retrying', tone: 'warning' };
  return { label: 'Failed', tone: 'danger' };
}

const ERRORS: Record<string, string> = {
  timeout: 'Timed out',
  connection_refused: 'Connection refused',
  connection_reset: 'Connection reset',
  dns: 'DNS lookup failed',
  tls: 'TLS error',
  redirect: 'Redirect (not followed)',
  blocked_address: 'Blocked address',
  network: 'Network error',
  internal_error: 'Not sent (internal error)',
  webhook_disabled: 'Not sent (webhook disabled)',
};

/** An attempt's error code in words (`timeout` → `Timed out`); unknown codes as they are. */
export function errorText(error: string | null): string | null {
  return error === null ? null : (ERRORS[error] ?? error);
}

/** The status code column: the HTTP status, or why there was none. */
export function statusCodeText(attempt: Pick<AttemptLog, 'status_code' | 'error'>): string {
  if (attempt.status_code !== null) return String(attempt.status_code);
  return errorText(attempt.error) ?? '—';
}

/** The webhook's status badge, with why the platform disabled it. */
export function webhookStatus(webhook: Pick<Webhook, 'status'> & { disabled_reason?: Webhook['disabled_reason'] }): Label {
  if (webhook.status === 'enabled') return { label: 'Enabled', tone: 'success' };
  if (webhook.disabled_reason === 'failing') return { label: 'Disabled: failing', tone: 'danger' };
  if (webhook.disabled_reason === 'gone') return { label: 'Disabled: 410 Gone', tone: 'danger' };
  return { label: 'Disabled', tone: 'neutral' };
}

/** Why a disabled webhook gets nothing, in a sentence; null while it is enabled. */
export function disabledExplanation(webhook: Pick<Webhook, 'status'> & { disabled_reason?: Webhook['disabled_reason'] }): string | null {
  if (webhook.status === 'enabled') return null;
  if (webhook.disabled_reason === 'failing') return 'Inbox disabled this webhook because every delivery to it failed for too long. Fix the endpoint, then enable it again.';
  if (webhook.disabled_reason === 'gone') return 'Inbox disabled this webhook because its endpoint answered 410 Gone. Enable it again if the endpoint is back.';
  return 'This webhook is disabled: it receives no events until you enable it again.';
}
