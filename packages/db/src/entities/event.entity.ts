import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** An accepted event. `body` is the exact JSON sent on every attempt, serialized once at ingest. */
@Entity('events')
@Index('events_account_idx', ['accountId', 'id'])
export class EventRecord {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'account_id' }) accountId: string;
  @Column('text') type: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('text') body: string;
  @Column('timestamptz', { name: 'received_at', default: () => 'now()' }) receivedAt: Date;
}
