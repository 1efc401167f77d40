import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AccountId, WebhookId } from '../ids.js';
import type { SecretBox } from '../secret-box.js';
import { resealEach, type ResealBatch } from './reseal-batch.js';

export type WebhookStatus = 'enabled' | 'disabled';

/**
 * Why a webhook is disabled: by the platform — `failing` (every attempt failed for
 * INBOX_AUTO_DISABLE_AFTER) or `gone` (it answered 410 Gone) — or by its owner (`manual`).
 */
export type DisabledReason = 'failing' | 'gone' | 'manual';

/** A webhook the platform just disabled: what its `webhook.disabled` event reports. */
export interface DisabledWebhook {
  webhookId: WebhookId;
  accountId: AccountId;
  url: string;
  reason: Exclude<DisabledReason, 'manual'>;
  disabledAt: Date;
}

/**
 * `http`: an endpoint the customer registered. `listen`: an `inbox listen` session — the dispatcher
 * hands its deliveries to the CLI's stream instead of POSTing them; it lives while the stream does,
 * is never listed and counts toward no webhook limit, but its id reads its log.
 */
export type WebhookKind = 'http' | 'listen';

/** A webhook as customers see it: everything but the sealed secret. */
export interface WebhookRecord {
  id: WebhookId;
  accountId: AccountId;
  kind: WebhookKind;
  url: string;
  events: string[];
  description: string | null;
  status: WebhookStatus;
  /** At most this many deliveries a second (every dispatcher together); null: unlimited. */
  rateLimit: number | null;
  /** Why and when it was disabled; both null while it is enabled. */
  disabledReason: DisabledReason | null;
  disabledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

export interface NewWebhook {
  id: WebhookId;
  url: string;
  events: string[];
  description: string | null;
  /** Deliveries per second at most; absent or null: unlimited. */
  rateLimit?: number | null;
  /** The `whsec_…` secret sealed with SecretBox. */
  secretSealed: string;
}

export interface WebhookChanges {
  url: string;
  events: string[];
  description: string | null;
  /** Left as it is when undefined. */
  status?: WebhookStatus;
  /** Left as it is when undefined; null removes the limit. */
  rateLimit?: number | null;
}

/** An enabled, live webhook of an account and the event types it takes: where ingest delivers. */
export interface DeliveryTarget {
  webhookId: WebhookId;
  accountId: AccountId;
  events: string[];
  /**
   * Disabled by the platform (failing, or 410 Gone): its deliveries are stored `failed` at once and
   * never sent, so that `recover` after re-enabling sends what it missed while disabled.
   */
  held: boolean;
}

/** Which accounts exist, and where their events go. */
export interface DeliveryTargets {
  accounts: Set<AccountId>;
  targets: DeliveryTarget[];
}

/** What a secret rotation left: until when the replaced secret still signs (null: it no longer does). */
export interface SecretRotation {
  previousSecretExpiresAt: Date | null;
}

/** The columns holding a sealed webhook secret: the current one, and the one a rotation replaced. */
export type SealedSecretColumn = 'secret_sealed' | 'previous_secret_sealed';

export type CreateWebhookResult = { created: WebhookRecord } | { limitReached: true } | { accountMissing: true };

/** A new `inbox listen` session: its event filter and its own sealed secret. */
export interface NewListenSession {
  id: WebhookId;
  events: string[];
  secretSealed: string;
}

const COLUMNS = 'id, account_id, kind, url, events, description, status, rate_limit, disabled_reason, disabled_at, created_at, updated_at, deleted_at';

interface WebhookRow {
  id: WebhookId;
  account_id: AccountId;
  kind: WebhookKind;
  url: string;
  events: string[];
  description: string | null;
  status: WebhookStatus;
  rate_limit: number | null;
  disabled_reason: DisabledReason | null;
  disabled_at: Date | null;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

function toRecord(row: WebhookRow): WebhookRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    kind: row.kind,
    url: row.url,
    events: row.events,
    description: row.description,
    status: row.status,
    rateLimit: row.rate_limit,
    disabledReason: row.disabled_reason,
    disabledAt: row.disabled_at,
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
        `SELECT count(*)::int AS count FROM webhooks WHERE account_id = $1 AND deleted_at IS NULL AND kind = 'http'`,
        [accountId],
      );
      if (count >= limit) return { limitReached: true as const };
      const rows: WebhookRow[] = await tx.query(
        `INSERT INTO webhooks (id, account_id, url, events, description, secret_sealed, rate_limit)
         VALUES ($1, $2, $3, $4::text[], $5, $6, $7) RETURNING ${COLUMNS}`,
        [webhook.id, accountId, webhook.url, webhook.events, webhook.description, webhook.secretSealed, webhook.rateLimit ?? null],
      );
      return { created: toRecord(rows[0]!) };
    });
  }

  /** Live webhooks of the account, newest first; `before` is the last id of the previous page. */
  async list(accountId: AccountId, page: { limit: number; before?: WebhookId }): Promise<WebhookRecord[]> {
    const rows: WebhookRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM webhooks
       WHERE account_id = $1 AND deleted_at IS NULL AND kind = 'http' AND ($2::text IS NULL OR id < $2)
       ORDER BY id DESC LIMIT $3`,
      [accountId, page.before ?? null, page.limit],
    );
    return rows.map(toRecord);
  }

  /** A live webhook of the account, or null (another account's id is null too). */
  async find(accountId: AccountId, id: WebhookId): Promise<WebhookRecord | null> {
    const rows: WebhookRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM webhooks WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL AND kind = 'http'`,
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
      `SELECT secret_sealed FROM webhooks WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL AND kind = 'http'`,
      [id, accountId],
    );
    return rows[0]?.secret_sealed ?? null;
  }

  /**
   * Replaces the secret of a live webhook of the account with `secretSealed`. With `overlapSeconds`
   * above 0 the replaced secret keeps signing beside it until now (Postgres's clock) + that many
   * seconds; a previous secret still overlapping from an earlier rotation is dropped (only the one
   * just replaced overlaps). With 0 the replaced secret stops at once. Null when not found.
   */
  async rotateSecret(accountId: AccountId, id: WebhookId, secretSealed: string, overlapSeconds: number): Promise<SecretRotation | null> {
    const [rows]: [Array<{ previous_secret_expires_at: Date | null }>, number] = await this.dataSource.query(
      `UPDATE webhooks
          SET previous_secret_sealed = CASE WHEN $4::int > 0 THEN secret_sealed END,
              previous_secret_expires_at = CASE WHEN $4::int > 0 THEN now() + make_interval(secs => $4::int) END,
              secret_sealed = $3, updated_at = now()
        WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL AND kind = 'http'
        RETURNING previous_secret_expires_at`,
      [id, accountId, secretSealed, overlapSeconds],
    );
    return rows[0] ? { previousSecretExpiresAt: rows[0].previous_secret_expires_at } : null;
  }

  /**
   * Replaces url, events and description (and status and rate limit, when given); null when not
   * found. Disabling an enabled webhook records reason `manual` and the time (a disabled one keeps
   * its reason); enabling a disabled one clears them and starts its failure streak afresh.
   */
  async update(accountId: AccountId, id: WebhookId, changes: WebhookChanges): Promise<WebhookRecord | null> {
    const [rows]: [WebhookRow[], number] = await this.dataSource.query(
      `UPDATE webhooks
       SET url = $3, events = $4::text[], description = $5, status = COALESCE($6::text, status),
           -- SET expressions see the old row: the status change decides the auto-disable columns.
           disabled_reason = CASE WHEN $6 = 'enabled' THEN NULL WHEN $6 = 'disabled' AND status = 'enabled' THEN 'manual' ELSE disabled_reason END,
           disabled_at = CASE WHEN $6 = 'enabled' THEN NULL WHEN $6 = 'disabled' AND status = 'enabled' THEN now() ELSE disabled_at END,
           failing_since = CASE WHEN $6 = 'enabled' AND status = 'disabled' THEN NULL ELSE failing_since END,
           disabled_notice_pending = disabled_notice_pending AND $6 IS DISTINCT FROM 'enabled',
           rate_limit = CASE WHEN $7::boolean THEN $8::int ELSE rate_limit END, updated_at = now()
       WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL AND kind = 'http'
       RETURNING ${COLUMNS}`,
      [id, accountId, changes.url, changes.events, changes.description, changes.status ?? null, changes.rateLimit !== undefined, changes.rateLimit ?? null],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** Soft delete: no new deliveries, pending ones are dropped by the dispatcher. False when not found. */
  async softDelete(accountId: AccountId, id: WebhookId): Promise<boolean> {
    const [rows]: [unknown[], number] = await this.dataSource.query(
      `UPDATE webhooks SET deleted_at = now(), updated_at = now()
       WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL AND kind = 'http' RETURNING id`,
      [id, accountId],
    );
    return rows.length === 1;
  }

  /**
   * Key rotation, one bounded batch across every account: webhooks (deleted ones too: their
   * secrets are still sealed) after `after` whose secret in `column` (the current one by default,
   * or the previous one a secret rotation kept, expired or not) is not sealed under the box's
   * current key, re-sealed. `updated_at` stays: the secret itself is unchanged.
   */
  async resealSecretsBatch(
    box: SecretBox,
    after: WebhookId | null,
    limit: number,
    column: SealedSecretColumn = 'secret_sealed',
  ): Promise<ResealBatch<WebhookId>> {
    const rows: Array<{ id: WebhookId; sealed: string }> = await this.dataSource.query(
      `SELECT id, ${column} AS sealed FROM webhooks
        WHERE ($1::text IS NULL OR id > $1) AND NOT starts_with(${column}, $2)
        ORDER BY id LIMIT $3`,
      [after, box.currentPrefix, limit],
    );
    const { changed, unreadable } = resealEach(rows, (r) => ({ ...r, resealed: box.reseal(r.sealed) }));
    // Only rows still holding what was read: a secret replaced meanwhile was sealed by the API.
    const [, resealed]: [unknown[], number] = changed.length
      ? await this.dataSource.query(
          `UPDATE webhooks w SET ${column} = u.resealed
             FROM unnest($1::text[], $2::text[], $3::text[]) AS u(id, old, resealed)
            WHERE w.id = u.id AND w.${column} = u.old`,
          [changed.map((c) => c.id), changed.map((c) => c.sealed), changed.map((c) => c.resealed)],
        )
      : [[], 0];
    return { next: rows.length === limit ? rows.at(-1)!.id : null, resealed, unreadable };
  }

  /**
   * Opens an `inbox listen` session (a webhook of kind `listen`, seen now) unless the account already
   * has `limit` live ones; the account row is locked for the count, as in `create`.
   */
  async createListenSession(accountId: AccountId, session: NewListenSession, limit: number): Promise<CreateWebhookResult> {
    return this.dataSource.transaction(async (tx) => {
      const locked: unknown[] = await tx.query(`SELECT 1 FROM accounts WHERE id = $1 FOR UPDATE`, [accountId]);
      if (locked.length === 0) return { accountMissing: true as const };
      const [{ count }]: [{ count: number }] = await tx.query(
        `SELECT count(*)::int AS count FROM webhooks WHERE account_id = $1 AND deleted_at IS NULL AND kind = 'listen'`,
        [accountId],
      );
      if (count >= limit) return { limitReached: true as const };
      const rows: WebhookRow[] = await tx.query(
        `INSERT INTO webhooks (id, account_id, kind, url, events, description, secret_sealed, last_seen_at)
         VALUES ($1, $2, 'listen', $3, $4::text[], 'inbox listen', $5, now()) RETURNING ${COLUMNS}`,
        [session.id, accountId, listenSessionUrl(session.id), session.events, session.secretSealed],
      );
      return { created: toRecord(rows[0]!) };
    });
  }

  /** A live `inbox listen` session of the account, or null. */
  async findListenSession(accountId: AccountId, id: WebhookId): Promise<WebhookRecord | null> {
    const rows: WebhookRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM webhooks WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL AND kind = 'listen'`,
      [id, accountId],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** Ends a session (its stream closed): soft-deleted, so its pending deliveries end unsent. */
  async endListenSession(accountId: AccountId, id: WebhookId): Promise<boolean> {
    const [rows]: [unknown[], number] = await this.dataSource.query(
      `UPDATE webhooks SET deleted_at = now(), updated_at = now()
       WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL AND kind = 'listen' RETURNING id`,
      [id, accountId],
    );
    return rows.length === 1;
  }

  /**
   * Marks live sessions seen now (their streams are open): the API replica holding them calls it on
   * every heartbeat. `updated_at` stays (it versions the secret cache). Returns the ones still live;
   * a session missing there was ended elsewhere (another replica's DELETE, the sweep).
   */
  async touchListenSessions(sessions: ReadonlyArray<{ accountId: AccountId; id: WebhookId }>): Promise<Set<WebhookId>> {
    if (sessions.length === 0) return new Set();
    const rows: Array<{ id: WebhookId }> = await this.dataSource.query(
      `UPDATE webhooks w SET last_seen_at = now()
         FROM unnest($1::text[], $2::text[]) AS s(account_id, id)
        WHERE w.id = s.id AND w.account_id = s.account_id AND w.kind = 'listen' AND w.deleted_at IS NULL
        RETURNING w.id`,
      [sessions.map((s) => s.accountId), sessions.map((s) => s.id)],
    );
    return new Set(rows.map((r) => r.id));
  }

  /**
   * Ends sessions, across accounts, not seen since `seenBefore` (the API replica holding the stream
   * died without closing them), at most `limit` at a time. Returns how many it ended.
   */
  async expireListenSessions(seenBefore: Date, limit: number): Promise<number> {
    const [, count]: [unknown[], number] = await this.dataSource.query(
      `UPDATE webhooks SET deleted_at = now(), updated_at = now()
        WHERE id IN (SELECT id FROM webhooks WHERE kind = 'listen' AND deleted_at IS NULL AND last_seen_at < $1 LIMIT $2)`,
      [seenBefore, limit],
    );
    return count;
  }

  /**
   * For ingest, in one query: which of the accounts exist, and their enabled, live webhooks with the
   * event types each subscribes to (uses webhooks_account_idx).
   */
  async findDeliveryTargets(accountIds: readonly AccountId[]): Promise<DeliveryTargets> {
    if (accountIds.length === 0) return { accounts: new Set(), targets: [] };
    const rows: Array<{ account_id: AccountId; webhook_id: WebhookId | null; events: string[] | null; held: boolean | null }> = await this.dataSource.query(
      `SELECT a.id AS account_id, w.id AS webhook_id, w.events, w.status <> 'enabled' AS held
         FROM accounts a
         LEFT JOIN webhooks w ON w.account_id = a.id AND w.deleted_at IS NULL
                             AND (w.status = 'enabled' OR w.disabled_reason IN ('failing', 'gone'))
        WHERE a.id = ANY($1::text[])`,
      [accountIds],
    );
    const targets: DeliveryTarget[] = [];
    for (const r of rows) {
      if (r.webhook_id && r.events) targets.push({ webhookId: r.webhook_id, accountId: r.account_id, events: r.events, held: r.held === true });
    }
    return { accounts: new Set(rows.map((r) => r.account_id)), targets };
  }

  /**
   * For the dispatcher's reconciler, across accounts: webhooks the platform disabled before
   * `disabledBefore` whose `webhook.disabled` event is not stored yet (the dispatcher that disabled
   * them stopped first), oldest first. Served by webhooks_disabled_notice_idx.
   */
  async listUnannouncedDisables(disabledBefore: Date, limit: number): Promise<DisabledWebhook[]> {
    const rows: Array<{ id: WebhookId; account_id: AccountId; url: string; disabled_reason: DisabledWebhook['reason']; disabled_at: Date }> =
      await this.dataSource.query(
        `SELECT id, account_id, url, disabled_reason, disabled_at FROM webhooks
          WHERE disabled_notice_pending AND disabled_at < $1
          ORDER BY disabled_at LIMIT $2`,
        [disabledBefore, limit],
      );
    return rows.map((r) => ({ webhookId: r.id, accountId: r.account_id, url: r.url, reason: r.disabled_reason, disabledAt: r.disabled_at }));
  }

  /**
   * Marks the `webhook.disabled` events of these disables stored (a webhook enabled since is left
   * alone; the platform writes `disabled_at` to the millisecond, so it compares equal to a Date).
   */
  async markDisablesAnnounced(disables: readonly DisabledWebhook[]): Promise<void> {
    if (disables.length === 0) return;
    await this.dataSource.query(
      `UPDATE webhooks w SET disabled_notice_pending = false
         FROM unnest($1::text[], $2::timestamptz[]) AS d(id, disabled_at)
        WHERE w.id = d.id AND w.disabled_at = d.disabled_at AND w.disabled_notice_pending`,
      [disables.map((d) => d.webhookId), disables.map((d) => d.disabledAt)],
    );
  }
}

/** What a listen session stores as its url: not an address, a name (its own host for the dispatcher's per-host limits). */
export function listenSessionUrl(id: WebhookId): string {
  return `listen://${id}`;
}
