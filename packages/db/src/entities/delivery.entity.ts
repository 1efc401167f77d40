import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

/** One event to one webhook. `attempts` counts tries made; `next_attempt_at` is when the next is due. */
@Entity('deliveries')
@Index('deliveries_event_webhook_key', ['eventId', 'webhookId'], { unique: true })
@Index('deliveries_pending_due_idx', ['nextAttemptAt'], { where: "status = 'pending'" })
@Index('deliveries_webhook_idx', ['webhookId', 'id'])
export class Delivery {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'account_id' }) accountId: string;
  @Column('text', { name: 'event_id' }) eventId: string;
  @Column('text', { name: 'webhook_id' }) webhookId: string;
  @Column('text', { default: 'pending' }) status: DeliveryStatus;
  @Column('int', { default: 0 }) attempts: number;
  @Column('timestamptz', { name: 'next_attempt_at', nullable: true }) nextAttemptAt: Date | null;
  @Column('timestamptz', { name: 'last_attempt_at', nullable: true }) lastAttemptAt: Date | null;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' }) updatedAt: Date;
}
