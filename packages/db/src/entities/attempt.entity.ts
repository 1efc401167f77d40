import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Why an attempt failed without an HTTP status (or with a 3xx, which is never followed). */
export type AttemptError = 'timeout' | 'connection_refused' | 'connection_reset' | 'dns' | 'tls' | 'redirect' | 'blocked_address' | 'network';

/** What one HTTP try gave: the dispatcher's result, the attempt row's payload, a log entry's core. */
export interface AttemptResult {
  requestedAt: Date;
  durationMs: number;
  statusCode: number | null;
  error: AttemptError | null;
  errorMessage: string | null;
  /** The first 1 KiB of the response body, as text. */
  responseBody: string | null;
  /** A 2xx answer. */
  succeeded: boolean;
}

/** One HTTP try. Append-only: the delivery log a customer reads. */
@Entity('attempts')
@Index('attempts_webhook_idx', ['webhookId', 'id'])
@Index('attempts_delivery_idx', ['deliveryId', 'attemptNumber'])
export class Attempt {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'account_id' }) accountId: string;
  @Column('text', { name: 'delivery_id' }) deliveryId: string;
  @Column('text', { name: 'webhook_id' }) webhookId: string;
  @Column('text', { name: 'event_id' }) eventId: string;
  @Column('text', { name: 'event_type' }) eventType: string;
  @Column('int', { name: 'attempt_number' }) attemptNumber: number;
  @Column('timestamptz', { name: 'requested_at' }) requestedAt: Date;
  @Column('int', { name: 'duration_ms' }) durationMs: number;
  @Column('int', { name: 'status_code', nullable: true }) statusCode: number | null;
  @Column('text', { nullable: true }) error: AttemptError | null;
  @Column('text', { name: 'error_message', nullable: true }) errorMessage: string | null;
  /** First 1 KiB of the response body. */
  @Column('text', { name: 'response_body', nullable: true }) responseBody: string | null;
  @Column('boolean') succeeded: boolean;
}
