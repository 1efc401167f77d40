import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type WebhookStatus = 'enabled' | 'disabled';

@Entity('webhooks')
@Index('webhooks_account_idx', ['accountId', 'id'], { where: 'deleted_at IS NULL' })
export class Webhook {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'account_id' }) accountId: string;
  @Column('text') url: string;
  @Column('text', { array: true }) events: string[];
  @Column('text', { nullable: true }) description: string | null;
  @Column('text', { default: 'enabled' }) status: WebhookStatus;
  /** AES-256-GCM sealed `whsec_…` (see SecretBox). */
  @Column('text', { name: 'secret_sealed' }) secretSealed: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
  /** Soft delete: logs stay readable by id for debugging; no further deliveries. */
  @Column('timestamptz', { name: 'deleted_at', nullable: true }) deletedAt: Date | null;
}
