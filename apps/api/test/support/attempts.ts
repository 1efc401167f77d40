import { newId } from '@inbox/db';
import type { Harness } from './harness.js';

export interface FakeAttempt {
  deliveryId: string;
  statusCode: number | null;
  error?: string | null;
  errorMessage?: string | null;
  responseBody?: string | null;
  requestedAt?: Date;
  durationMs?: number;
  /** The delivery afterwards. */
  deliveryStatus: 'pending' | 'succeeded' | 'failed';
  nextAttemptAt?: Date | null;
}

/**
 * Writes what the dispatcher would after one HTTP try (an attempt row, the delivery moved on), so
 * the API's log routes can be tested without running the dispatcher.
 */
export async function recordAttempt(h: Harness, a: FakeAttempt): Promise<string> {
  const requestedAt = a.requestedAt ?? new Date();
  // As the dispatcher makes them: the id's time is the request's (the log's time filters rely on it).
  const id = newId('attempt', requestedAt.getTime());
  await h.sql.query(
    `WITH moved AS (
       UPDATE deliveries SET attempts = attempts + 1, status = $2, next_attempt_at = $3, last_attempt_at = $4, updated_at = now()
       WHERE id = $1 RETURNING id, account_id, webhook_id, event_id, attempts
     )
     INSERT INTO attempts (id, account_id, delivery_id, webhook_id, event_id, event_type, attempt_number, requested_at, duration_ms,
                           status_code, error, error_message, response_body, succeeded)
     SELECT $5, m.account_id, m.id, m.webhook_id, m.event_id, e.type, m.attempts, $4, $6, $7, $8, $9, $10, $11
     FROM moved m JOIN events e ON e.id = m.event_id`,
    [
      a.deliveryId,
      a.deliveryStatus,
      a.nextAttemptAt ?? null,
      requestedAt,
      id,
      a.durationMs ?? 42,
      a.statusCode,
      a.error ?? null,
      a.errorMessage ?? null,
      a.responseBody ?? null,
      a.statusCode !== null && a.statusCode >= 200 && a.statusCode < 300,
    ],
  );
  return id;
}
