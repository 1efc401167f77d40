import { DataSource } from 'typeorm';
import { createDataSource, newId, SecretBox, type AccountId, type AttemptError, type DeliveryId, type DeliveryStatus } from '@inbox/db';
import { MESSAGE_EVENT_TYPES, type EventType } from '@inbox/events';
import { generateSecret } from '@inbox/signing';

/** An event as ingest takes it: the docs' shape, id and created_at optional. */
export interface EventInput {
  id?: string;
  type: EventType;
  created_at?: string;
  data: unknown;
}

export interface IngestedEvent {
  eventId: string;
  /** The exact bytes every attempt sends. */
  body: string;
  deliveryIds: DeliveryId[];
}

export interface DeliveryRow {
  id: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date | null;
  webhook_id: string;
}

export interface AttemptRow {
  id: string;
  delivery_id: string;
  attempt_number: number;
  requested_at: Date;
  duration_ms: number;
  status_code: number | null;
  error: AttemptError | null;
  error_message: string | null;
  response_body: string | null;
  succeeded: boolean;
}

/**
 * Test data written as the API writes it (accounts, webhooks with sealed secrets, events with their
 * serialized body, one pending delivery per subscribed enabled webhook), straight to Postgres, so
 * dispatcher tests do not depend on the API app.
 */
export class Fixtures {
  private constructor(
    readonly db: DataSource,
    private readonly box: SecretBox,
  ) {}

  static async connect(databaseUrl: string, secretKey: Buffer): Promise<Fixtures> {
    const db = createDataSource(databaseUrl, 2);
    await db.initialize();
    return new Fixtures(db, new SecretBox(secretKey));
  }

  async account(name = 'Acme'): Promise<AccountId> {
    const id = newId('account');
    await this.db.query(`INSERT INTO accounts (id, name) VALUES ($1, $2)`, [id, name]);
    return id;
  }

  async webhook(
    accountId: string,
    url: string,
    options: { events?: readonly EventType[]; status?: 'enabled' | 'disabled'; secret?: string; rateLimit?: number } = {},
  ): Promise<{ id: string; secret: string }> {
    const id = newId('webhook');
    const secret = options.secret ?? generateSecret();
    await this.db.query(
      `INSERT INTO webhooks (id, account_id, url, events, status, secret_sealed, rate_limit) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [id, accountId, url, options.events ?? MESSAGE_EVENT_TYPES, options.status ?? 'enabled', this.box.seal(secret), options.rateLimit ?? null],
    );
    return { id, secret };
  }

  /** What `POST /internal/v1/events` stores: the event and one pending delivery per subscribed enabled webhook. */
  async ingest(accountId: string, input: EventInput): Promise<IngestedEvent> {
    const eventId = input.id ?? newId('event');
    const createdAt = input.created_at ?? new Date().toISOString();
    const body = JSON.stringify({ id: eventId, type: input.type, created_at: createdAt, data: input.data });
    return this.db.transaction(async (tx) => {
      await tx.query(`INSERT INTO events (id, account_id, type, created_at, body) VALUES ($1, $2, $3, $4, $5)`, [
        eventId,
        accountId,
        input.type,
        createdAt,
        body,
      ]);
      const webhooks: Array<{ id: string }> = await tx.query(
        `SELECT id FROM webhooks WHERE account_id = $1 AND deleted_at IS NULL AND status = 'enabled' AND $2 = ANY(events) ORDER BY id`,
        [accountId, input.type],
      );
      const deliveryIds = webhooks.map(() => newId('delivery'));
      await tx.query(
        `INSERT INTO deliveries (id, account_id, event_id, webhook_id, next_attempt_at)
         SELECT d, $1, $2, w, now() FROM unnest($3::text[], $4::text[]) AS t(d, w)`,
        [accountId, eventId, deliveryIds, webhooks.map((w) => w.id)],
      );
      return { eventId, body, deliveryIds };
    });
  }

  async delivery(id: string): Promise<DeliveryRow> {
    const rows: DeliveryRow[] = await this.db.query(
      `SELECT id, status, attempts, next_attempt_at, webhook_id FROM deliveries WHERE id = $1`,
      [id],
    );
    if (!rows[0]) throw new Error(`no delivery ${id}`);
    return rows[0];
  }

  /** The ids of the deliveries of these events. */
  async deliveriesOfEvents(eventIds: readonly string[]): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.db.query(`SELECT id FROM deliveries WHERE event_id = ANY($1) ORDER BY id`, [eventIds]);
    return rows.map((r) => r.id);
  }

  /** The delivery log of one delivery, first attempt first. */
  async attempts(deliveryId: string): Promise<AttemptRow[]> {
    return this.db.query(
      `SELECT id, delivery_id, attempt_number, requested_at, duration_ms, status_code, error, error_message, response_body, succeeded
         FROM attempts WHERE delivery_id = $1 ORDER BY attempt_number, id`,
      [deliveryId],
    );
  }

  async countByStatus(): Promise<Record<DeliveryStatus, number>> {
    const rows: Array<{ status: DeliveryStatus; n: number }> = await this.db.query(
      `SELECT status, count(*)::int AS n FROM deliveries GROUP BY status`,
    );
    const counts: Record<DeliveryStatus, number> = { pending: 0, succeeded: 0, failed: 0 };
    for (const r of rows) counts[r.status] = r.n;
    return counts;
  }

  close(): Promise<void> {
    return this.db.destroy();
  }
}
