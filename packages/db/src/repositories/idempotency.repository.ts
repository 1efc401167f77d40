import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AccountId } from '../ids.js';

/** Whose keys: a customer account's, or the internal services' one shared scope. */
export type IdempotencyScope = AccountId | 'internal';

/** Outcome of claiming an idempotency key for a request. */
export type IdempotencyClaim =
  | { state: 'claimed' }
  | { state: 'in_progress' }
  | { state: 'mismatch' }
  | { state: 'replay'; statusCode: number; body: unknown };

/** A claim whose request never finished (crashed process) is taken over after this long. */
const ABANDONED_AFTER = '60 seconds';
/** Stored answers are replayed for this long. */
const RETENTION = '24 hours';
/** Marks a claimed key whose answer is not stored yet. */
const IN_PROGRESS = 0;

@Injectable()
export class IdempotencyRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Claims `key` for a request whose body hashes to `requestHash`, or says why not: an answer is
   * stored (replay it), the key is in use by another body (mismatch), or the first request with it
   * is still running.
   */
  async claim(scope: IdempotencyScope, key: string, requestHash: string): Promise<IdempotencyClaim> {
    const claimed: unknown[] = await this.dataSource.query(
      `INSERT INTO idempotency_keys (account_id, key, request_hash, status_code, response_body)
       VALUES ($1, $2, $3, ${IN_PROGRESS}, 'null'::jsonb)
       ON CONFLICT (account_id, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, status_code = ${IN_PROGRESS}, response_body = 'null'::jsonb, created_at = now()
         WHERE idempotency_keys.created_at < now() - interval '${RETENTION}'
            OR (idempotency_keys.status_code = ${IN_PROGRESS} AND idempotency_keys.created_at < now() - interval '${ABANDONED_AFTER}')
       RETURNING 1`,
      [scope, key, requestHash],
    );
    if (claimed.length === 1) return { state: 'claimed' };
    const rows: Array<{ request_hash: string; status_code: number; response_body: unknown }> = await this.dataSource.query(
      `SELECT request_hash, status_code, response_body FROM idempotency_keys WHERE account_id = $1 AND key = $2`,
      [scope, key],
    );
    const row = rows[0];
    if (!row) return this.claim(scope, key, requestHash); // released in between: try again
    if (row.request_hash !== requestHash) return { state: 'mismatch' };
    if (row.status_code === IN_PROGRESS) return { state: 'in_progress' };
    return { state: 'replay', statusCode: row.status_code, body: row.response_body };
  }

  /** Stores the answer to replay for the claimed key. */
  async complete(scope: IdempotencyScope, key: string, statusCode: number, body: unknown): Promise<void> {
    await this.dataSource.query(
      `UPDATE idempotency_keys SET status_code = $3, response_body = $4::jsonb WHERE account_id = $1 AND key = $2`,
      [scope, key, statusCode, JSON.stringify(body ?? null)],
    );
  }

  /** Gives the key back (the request failed in a way a retry may fix). */
  async release(scope: IdempotencyScope, key: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM idempotency_keys WHERE account_id = $1 AND key = $2 AND status_code = ${IN_PROGRESS}`, [scope, key]);
  }

  /** Deletes answers older than the retention period; returns how many. */
  async purgeExpired(): Promise<number> {
    const [, count]: [unknown[], number] = await this.dataSource.query(
      `DELETE FROM idempotency_keys WHERE created_at < now() - interval '${RETENTION}'`,
    );
    return count;
  }
}
