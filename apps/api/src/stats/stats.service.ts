import { Injectable } from '@nestjs/common';
import { AttemptsRepository, WebhooksRepository, type AccountId, type WebhookId } from '@inbox/db';
import { NotFoundError } from '../common/api-error.js';
import { isoRequired } from '../common/iso.js';
import type { WebhookStats } from './stats.dto.js';

const HOUR_MS = 3_600_000;

/** A webhook's delivery health by the hour: what the dashboard's charts draw. */
@Injectable()
export class StatsService {
  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly attempts: AttemptsRepository,
  ) {}

  async webhookStats(accountId: AccountId, webhookId: WebhookId, hours: number, now = Date.now()): Promise<WebhookStats> {
    const webhook = await this.webhooks.findIncludingDeleted(accountId, webhookId);
    if (!webhook) throw new NotFoundError('Webhook');
    const since = Math.floor(now / HOUR_MS) * HOUR_MS - (hours - 1) * HOUR_MS;
    const rows = await this.attempts.hourlyStats(accountId, webhookId, new Date(since));
    const byHour = new Map(rows.map((r) => [r.hour.getTime(), r]));
    const buckets = Array.from({ length: hours }, (_, i) => {
      const start = since + i * HOUR_MS;
      const row = byHour.get(start);
      return {
        start: isoRequired(new Date(start)),
        attempts: row?.attempts ?? 0,
        succeeded: row?.succeeded ?? 0,
        avg_ms: row?.avgMs ?? null,
        p50_ms: row?.p50Ms ?? null,
        p95_ms: row?.p95Ms ?? null,
      };
    });
    return {
      since: isoRequired(new Date(since)),
      bucket_seconds: 3600,
      totals: { attempts: rows.reduce((n, r) => n + r.attempts, 0), succeeded: rows.reduce((n, r) => n + r.succeeded, 0) },
      buckets,
    };
  }
}
