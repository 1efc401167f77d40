import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A stored answer to a POST sent with `Idempotency-Key`, replayed for 24 h. */
@Entity('idempotency_keys')
export class IdempotencyKey {
  @PrimaryColumn('text', { name: 'account_id' }) accountId: string;
  @PrimaryColumn('text') key: string;
  @Column('text', { name: 'request_hash' }) requestHash: string;
  @Column('int', { name: 'status_code' }) statusCode: number;
  @Column('jsonb', { name: 'response_body' }) responseBody: unknown;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
}
