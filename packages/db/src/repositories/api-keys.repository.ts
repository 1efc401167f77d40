import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AccountId, ApiKeyId } from '../ids.js';

export interface ApiKeyOwner {
  keyId: ApiKeyId;
  accountId: AccountId;
}

export interface NewApiKey {
  id: ApiKeyId;
  keyHash: string;
  prefix: string;
}

@Injectable()
export class ApiKeysRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Adds a key to an existing account; false when the account does not exist. */
  async create(accountId: AccountId, key: NewApiKey): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO api_keys (id, account_id, key_hash, prefix)
       SELECT $1, id, $3, $4 FROM accounts WHERE id = $2
       RETURNING id`,
      [key.id, accountId, key.keyHash, key.prefix],
    );
    return rows.length === 1;
  }

  /**
   * The account a live (not revoked) key belongs to, looked up by the key's hash. This is how a
   * request finds its account, so it is the one lookup that cannot take an account id.
   */
  async findActiveByHash(keyHash: string): Promise<ApiKeyOwner | null> {
    const rows: Array<{ id: ApiKeyId; account_id: AccountId }> = await this.dataSource.query(
      `SELECT id, account_id FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL`,
      [keyHash],
    );
    const row = rows[0];
    return row ? { keyId: row.id, accountId: row.account_id } : null;
  }

  /** Revokes a key of the account (again is a no-op); false when the account has no such key. */
  async revoke(accountId: AccountId, keyId: ApiKeyId): Promise<boolean> {
    const [rows]: [unknown[], number] = await this.dataSource.query(
      `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 AND account_id = $2 RETURNING id`,
      [keyId, accountId],
    );
    return rows.length === 1;
  }
}
