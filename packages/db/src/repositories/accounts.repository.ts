import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface AccountRecord {
  id: string;
  name: string;
  createdAt: Date;
}

export interface NewAccountWithKey {
  accountId: string;
  name: string;
  keyId: string;
  /** SHA-256 (hex) of the API key; the key itself is never stored. */
  keyHash: string;
  keyPrefix: string;
}

@Injectable()
export class AccountsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Creates an account and its first API key in one statement (both or neither). */
  async createWithKey(input: NewAccountWithKey): Promise<AccountRecord> {
    const rows: Array<{ id: string; name: string; created_at: Date }> = await this.dataSource.query(
      `WITH account AS (
         INSERT INTO accounts (id, name) VALUES ($1, $2) RETURNING id, name, created_at
       ), key AS (
         INSERT INTO api_keys (id, account_id, key_hash, prefix) SELECT $3, id, $4, $5 FROM account
       )
       SELECT id, name, created_at FROM account`,
      [input.accountId, input.name, input.keyId, input.keyHash, input.keyPrefix],
    );
    const row = rows[0]!;
    return { id: row.id, name: row.name, createdAt: row.created_at };
  }
}
