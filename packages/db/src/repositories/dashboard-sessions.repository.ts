import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AccountId, ApiKeyId } from '../ids.js';

/** A live dashboard session: the account and API key it acts as. */
export interface DashboardSession {
  accountId: AccountId;
  keyId: ApiKeyId;
  accountName: string;
  /** `inbox_sk_` and the first characters of the key it was opened with, for display. */
  keyPrefix: string;
  expiresAt: Date;
}

export interface NewDashboardSession {
  /** SHA-256 (hex) of the session token; the token itself is never stored. */
  tokenHash: string;
  keyId: ApiKeyId;
  expiresAt: Date;
}

interface SessionRow {
  account_id: AccountId;
  api_key_id: ApiKeyId;
  account_name: string;
  key_prefix: string;
  expires_at: Date;
}

/**
 * Sessions of the dashboard, looked up by their token's hash: like an API key's, that lookup is
 * what finds the account, so it cannot take one. A session lives while it has not expired and its
 * API key is not revoked.
 */
@Injectable()
export class DashboardSessionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Opens a session for a live key of the account, and drops the account's expired ones. */
  async create(accountId: AccountId, session: NewDashboardSession): Promise<void> {
    await this.dataSource.query(`DELETE FROM dashboard_sessions WHERE account_id = $1 AND expires_at <= now()`, [accountId]);
    await this.dataSource.query(
      `INSERT INTO dashboard_sessions (token_hash, account_id, api_key_id, expires_at) VALUES ($1, $2, $3, $4)`,
      [session.tokenHash, accountId, session.keyId, session.expiresAt],
    );
  }

  /** The live session with this token hash, or null (unknown, expired, or its key revoked). */
  async findActive(tokenHash: string): Promise<DashboardSession | null> {
    const rows: SessionRow[] = await this.dataSource.query(
      `SELECT s.account_id, s.api_key_id, a.name AS account_name, k.prefix AS key_prefix, s.expires_at
         FROM dashboard_sessions s
         JOIN api_keys k ON k.id = s.api_key_id AND k.revoked_at IS NULL
         JOIN accounts a ON a.id = s.account_id
        WHERE s.token_hash = $1 AND s.expires_at > now()`,
      [tokenHash],
    );
    const row = rows[0];
    return row
      ? { accountId: row.account_id, keyId: row.api_key_id, accountName: row.account_name, keyPrefix: row.key_prefix, expiresAt: row.expires_at }
      : null;
  }

  /** Ends the session with this token hash (sign-out); a no-op when there is none. */
  async delete(tokenHash: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM dashboard_sessions WHERE token_hash = $1`, [tokenHash]);
  }
}
