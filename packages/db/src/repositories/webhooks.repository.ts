import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AccountId, WebhookId } from '../ids.js';
import type { SecretBox } from '../secret-box.js';
import { resealEach, type ResealBatch } from './reseal-batch.js';

export type WebhookStatus = 'enabled' | 'disabled';

/** A webhook as customers see it: everything but the sealed secret. */
export interface WebhookRecord {
  id: WebhookId;
  accountId: AccountId;
  url: string;
  events: string[];
  description: string | null;
  status: WebhookStatus;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

export interface NewWebhook {
  id: WebhookId;
  url: string;
  events: string[];
  description: string | null;
  /** The `whsec_…` secret sealed with SecretBox. */
  secretSealed: string;
}

export interface WebhookChanges {
  url: string;
  events: string[];
  description: string | null;
  /** Left as it is when undefined. */
  status?: WebhookStatus;
}

/** An enabled, live webhook of an account and the event types it takes: where ingest delivers. */
export interface DeliveryTarget {
  webhookId: WebhookId;
  accountId: AccountId;
  events: string[];
}

/** Which accounts exist, and where their events go. */
export interface DeliveryTargets {
  accounts: Set<AccountId>;
  targets: DeliveryTarget[];
}

export type CreateWebhookResult = { created: WebhookRecord } | { limitReached: true } | { accountMissing: true };

const COLUMNS = 'id, account_id, url, events, description, status, created_at, updated_at, deleted_at';

interface WebhookRow {
  id: WebhookId;
  account_id: AccountId;
  url: string;
  events: string[];
  description: string | null;
  status: WebhookStatus;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

function toRecord(row: WebhookRow): WebhookRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    url: row.url,
    events: row.events,
    description: row.description,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at,
  };
}

@Injectable()
export class WebhooksRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Inserts the webhook unless the account already has `limit` live ones. The account row is
   * locked for the count, so concurrent creates cannot overshoot the limit.
   */
  async create(accountId: AccountId, webhook: NewWebhook, limit: number): Promise<CreateWebhookResult> {
    return this.dataSource.transaction(async (tx) => {
      const locked: unknown[] = await tx.query(`SELECT 1 FROM accounts WHERE id = $1 FOR UPDATE`, [accountId]);
      if (locked.length === 0) return { accountMissing: true as const };
      const [{ count }]: [{ count: number }] = await tx.query(
        `SELECT count(*)::int AS count FROM webhooks WHERE account_id = $1 AND deleted_at IS NULL`,
        [accountId],
      );
      if (count >= limit) return { limitReached: true as const };
      const rows: WebhookRow[] = await tx.query(
        `INSERT INTO webhooks (id, account_id, url, events, description, secret_sealed)
         VALUES ($1, $2, $3, $4::text[], $5, $6) RETURNING ${COLUMNS}`,
        [webhook.id, accountId, webhook.url, webhook.events, webhook.description, webhook.secretSealed],
      );
      return { created: toRecord(rows[0]!) };
    });
  }

  /** Live webhooks of the account, newest first; `before` is the last id of the previous page. */
  async list(accountId: AccountId, page: { limit: number; before?: WebhookId }): Promise<WebhookRecord[]> {
    const rows: WebhookRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM webhooks
       WHERE account_id = $1 AND deleted_at IS NULL AND ($2::text IS NULL OR id < $2)
       ORDER BY id DESC LIMIT $3`,
      [accountId, page.before ?? null, page.limit],
    );
    return rows.map(toRecord);
  }

  /** A live webhook of the account, or null (another account's id is null too). */
  async find(accountId: AccountId, id: WebhookId): Promise<WebhookRecord | null> {
    const rows: WebhookRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM webhooks WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL`,
      [id, accountId],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** Like `find`, but a deleted webhook counts too (its logs stay readable). */
  async findIncludingDeleted(accountId: AccountId, id: WebhookId): Promise<WebhookRecord | null> {
    const rows: WebhookRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM webhooks WHERE id = $1 AND account_id = $2`, [id, accountId]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** The sealed secret of a live webhook of the account, or null. */
  async findSealedSecret(accountId: AccountId, id: WebhookId): Promise<string | null> {
    const rows: Array<{ secret_sealed: string }> = await this.dataSource.query(
      `SELECT secret_sealed FROM webhooks WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL`,
      [id, accountId],
    );
    return rows[0]?.secret_sealed ?? null;
  }

  /** Replaces url, events and description (and status, when given); null when not found. */
  async update(accountId: AccountId, id: WebhookId, changes: WebhookChanges): Promise<WebhookRecord | null> {
    const [rows]: [WebhookRow[], number] = await this.dataSource.query(
      `UPDATE webhooks
       SET url = $3, events = $4::text[], description = $5, status = COALESCE($6, status), updated_at = now()
       WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL
       RETURNING ${COLUMNS}`,
      [id, accountId, changes.url, changes.events, changes.description, changes.status ?? null],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** Soft delete: no new deliveries, pending ones are dropped by the dispatcher. False when not found. */
  async softDelete(accountId: AccountId, id: WebhookId): Promise<boolean> {
    const [rows]: [unknown[], number] = await this.dataSource.query(
      `UPDATE webhooks SET deleted_at = now(), updated_at = now()
       WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL RETURNING id`,
      [id, accountId],
    );
    return rows.length === 1;
  }

  /**
   * Key rotation, one bounded batch across every account: webhooks (deleted ones too: their
   * secrets are still sealed) after `after` whose secret is not sealed under the box's current key,
   * re-sealed. `updated_at` stays: the secret itself is unchanged.
   */
  async resealSecretsBatch(box: SecretBox, after: WebhookId | null, limit: number): Promise<ResealBatch<WebhookId>> {
    const rows: Array<{ id: WebhookId; secret_sealed: string }> = await this.dataSource.query(
      `SELECT id, secret_sealed FROM webhooks
        WHERE ($1::text IS NULL OR id > $1) AND NOT starts_with(secret_sealed, $2)
        ORDER BY id LIMIT $3`,
      [after, box.currentPrefix, limit],
    );
    const { changed, unreadable } = resealEach(rows, (r) => ({ ...r, resealed: box.reseal(r.secret_sealed) }));
    // Only rows still holding what was read: a secret replaced meanwhile was sealed by the API.
    const [, resealed]: [unknown[], number] = changed.length
      ? await this.dataSource.query(
          `UPDATE webhooks w SET secret_sealed = u.resealed
             FROM unnest($1::text[], $2::text[], $3::text[]) AS u(id, old, resealed)
            WHERE w.id = u.id AND w.secret_sealed = u.old`,
          [changed.map((c) => c.id), changed.map((c) => c.secret_sealed), changed.map((c) => c.resealed)],
        )
      : [[], 0];
    return { next: rows.length === limit ? rows.at(-1)!.id : null, resealed, unreadable };
  }

  /**
   * For ingest, in one query: which of the accounts exist, and their enabled, live webhooks with the
   * event types each subscribes to (uses webhooks_account_idx).
   */
  async findDeliveryTargets(accountIds: readonly AccountId[]): Promise<DeliveryTargets> {
    if (accountIds.length === 0) return { accounts: new Set(), targets: [] };
    const rows: Array<{ account_id: AccountId; webhook_id: WebhookId | null; events: string[] | null }> = await this.dataSource.query(
      `SELECT a.id AS account_id, w.id AS webhook_id, w.events
         FROM accounts a
         LEFT JOIN webhooks w ON w.account_id = a.id AND w.deleted_at IS NULL AND w.status = 'enabled'
        WHERE a.id = ANY($1::text[])`,
      [accountIds],
    );
    const targets: DeliveryTarget[] = [];
    for (const r of rows) if (r.webhook_id && r.events) targets.push({ webhookId: r.webhook_id, accountId: r.account_id, events: r.events });
    return { accounts: new Set(rows.map((r) => r.account_id)), targets };
  }
}
