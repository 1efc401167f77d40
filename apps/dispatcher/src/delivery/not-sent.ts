import { newId, type AttemptOutcome, type DispatchRecord, type NothingSentError } from '@inbox/db';

/**
 * An attempt that made no request (`internal_error`, `webhook_disabled`): it ends the delivery
 * `failed`, and its row in the log says why nothing was sent.
 */
export function notSentOutcome(
  record: Pick<DispatchRecord, 'accountId' | 'deliveryId' | 'eventType' | 'attempts'>,
  error: NothingSentError,
  errorMessage: string,
  now = new Date(),
): AttemptOutcome {
  return {
    accountId: record.accountId,
    attemptId: newId('attempt', now.getTime()),
    deliveryId: record.deliveryId,
    eventType: record.eventType,
    expectedAttempts: record.attempts,
    requestedAt: now,
    durationMs: 0,
    statusCode: null,
    error,
    errorMessage,
    responseBody: null,
    succeeded: false,
    deliveryStatus: 'failed',
    nextAttemptAt: null,
  };
}

const DISABLED_BECAUSE: Record<NonNullable<DispatchRecord['webhookDisabledReason']>, string> = {
  failing: 'every attempt to it failed for too long',
  gone: 'its endpoint answered 410 Gone',
  manual: 'it was disabled by its owner',
};

/** The log's words for a delivery ended because its webhook is disabled. */
export function webhookDisabledMessage(reason: DispatchRecord['webhookDisabledReason']): string {
  const why = reason ? ` (${DISABLED_BECAUSE[reason]})` : '';
  return `Not sent: the webhook is disabled${why}. Enable it to receive new events; recover sends what it missed.`;
}
