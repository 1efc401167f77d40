import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** Only the SHA-256 of a key is stored; `prefix` (first characters) helps a customer tell keys apart. */
@Entity('api_keys')
export class ApiKey {
  @PrimaryColumn('text') id: string;
  @Index('api_keys_account_idx') @Column('text', { name: 'account_id' }) accountId: string;
  @Index('api_keys_hash_key', { unique: true }) @Column('text', { name: 'key_hash' }) keyHash: string;
  @Column('text') prefix: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt: Date | null;
}
