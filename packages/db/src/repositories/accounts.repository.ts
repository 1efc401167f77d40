import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AccountId, ApiKeyId } from '../ids.js';

export interface AccountRecord {
  id: AccountId;
  name: string;
  createdAt: Date;
}

export interface NewAccountWithKey {
  name: string;
  keyId: ApiKeyId;
  /** SHA-256 (hex) of the API key; the key itself is never stored. */
  keyHash: string;
  keyPrefix: string;
}

@Injectable()
export class AccountsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Creates an account and its first API key in one statement (both or neither). */
  async createWithKey(accountId: AccountId, input: NewAccountWithKey): Promise<AccountRecord> {
    const rows: Array<{ id: AccountId; name: string; created_at: Date }> = await this.dataSource.query(
      `WITH account AS (
         INSERT INTO accounts (id, name) VALUES ($1, $2) RETURNING id, name, created_at
       ), key AS (
         INSERT INTO api_keys (id, account_id, key_hash, prefix) SELECT $3, id, $4, $5 FROM account
       )
       SELECT id, name, created_at FROM account`,
      [accountId, input.name, input.keyId, input.keyHash, input.keyPrefix],
    );
    const row = rows[0]!;
    return { id: row.id, name: row.name, createdAt: row.created_at };
  }
}
