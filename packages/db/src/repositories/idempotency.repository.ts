import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AccountId } from '../ids.js';
import { SecretBox } from '../secret-box.js';
import { deleteInBatches } from './batched-delete.js';
import { resealEach, type ResealBatch } from './reseal-batch.js';

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

/**
 * How an answer is stored: its JSON sealed whole, since answers carry webhook secrets and API keys
 * (which exist nowhere else in clear, so they cannot be rebuilt from references). Rows written
 * before answers were sealed hold the body itself; they replay as they are until they expire or
 * `pnpm db:reseal` seals them.
 */
interface SealedAnswer {
  sealed: string;
}

function isSealedAnswer(stored: unknown): stored is SealedAnswer {
  return typeof stored === 'object' && stored !== null && typeof (stored as Partial<SealedAnswer>).sealed === 'string';
}

/** Where a re-seal scan stopped: the last row's primary key. */
export interface IdempotencyCursor {
  scope: IdempotencyScope;
  key: string;
}

@Injectable()
export class IdempotencyRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly box: SecretBox,
  ) {}

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
    return { state: 'replay', statusCode: row.status_code, body: this.openAnswer(row.response_body) };
  }

  /** Stores the answer to replay for the claimed key, sealed. */
  async complete(scope: IdempotencyScope, key: string, statusCode: number, body: unknown): Promise<void> {
    await this.dataSource.query(
      `UPDATE idempotency_keys SET status_code = $3, response_body = $4::jsonb WHERE account_id = $1 AND key = $2`,
      [scope, key, statusCode, JSON.stringify(this.sealAnswer(body ?? null))],
    );
  }

  /** Gives the key back (the request failed in a way a retry may fix). */
  async release(scope: IdempotencyScope, key: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM idempotency_keys WHERE account_id = $1 AND key = $2 AND status_code = ${IN_PROGRESS}`, [scope, key]);
  }

  /**
   * Deletes answers older than the retention period, `batchSize` rows per statement (found by
   * idempotency_keys_created_at_idx), each its own short transaction; returns how many.
   */
  async purgeExpired(batchSize = 2_000): Promise<number> {
    return deleteInBatches(
      this.dataSource,
      `DELETE FROM idempotency_keys WHERE (account_id, key) IN (
         SELECT account_id, key FROM idempotency_keys WHERE created_at < now() - interval '${RETENTION}' LIMIT $1)`,
      [],
      batchSize,
    );
  }

  /**
   * Key rotation, one bounded batch across every scope: stored answers after `after` that are not
   * sealed under the current key (an older key, or clear from before sealing) are sealed under it.
   */
  async resealBatch(after: IdempotencyCursor | null, limit: number): Promise<ResealBatch<IdempotencyCursor>> {
    const rows: Array<{ account_id: IdempotencyScope; key: string; response_body: unknown }> = await this.dataSource.query(
      `SELECT account_id, key, response_body FROM idempotency_keys
        WHERE ($1::text IS NULL OR (account_id, key) > ($1, $2)) AND status_code <> ${IN_PROGRESS}
          AND NOT COALESCE(starts_with(response_body->>'sealed', $3), false)
        ORDER BY account_id, key LIMIT $4`,
      [after?.scope ?? null, after?.key ?? null, this.box.currentPrefix, limit],
    );
    const { changed, unreadable } = resealEach(rows, (r) => ({
      ...r,
      sealed: isSealedAnswer(r.response_body) ? { sealed: this.box.reseal(r.response_body.sealed) } : this.sealAnswer(r.response_body),
    }));
    // Only rows still holding what was read: an answer replaced meanwhile was sealed by the API.
    const [, resealed]: [unknown[], number] = changed.length
      ? await this.dataSource.query(
          `UPDATE idempotency_keys k SET response_body = u.sealed::jsonb
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(account_id, key, old, sealed)
            WHERE k.account_id = u.account_id AND k.key = u.key AND k.response_body = u.old::jsonb`,
          [changed.map((c) => c.account_id), changed.map((c) => c.key), changed.map((c) => JSON.stringify(c.response_body)), changed.map((c) => JSON.stringify(c.sealed))],
        )
      : [[], 0];
    const last = rows.at(-1);
    return { next: rows.length === limit && last ? { scope: last.account_id, key: last.key } : null, resealed, unreadable };
  }

  private sealAnswer(body: unknown): SealedAnswer {
    return { sealed: this.box.seal(JSON.stringify(body)) };
  }

  private openAnswer(stored: unknown): unknown {
    return isSealedAnswer(stored) ? JSON.parse(this.box.open(stored.sealed)) : stored;
  }
}
