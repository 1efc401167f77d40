import type { DataSource } from 'typeorm';
import type { WebhookId } from './ids.js';
import { IdempotencyRepository, type IdempotencyCursor } from './repositories/idempotency.repository.js';
import type { ResealBatch } from './repositories/reseal-batch.js';
import { WebhooksRepository } from './repositories/webhooks.repository.js';
import type { SecretBox } from './secret-box.js';

/** What one re-seal run did to one kind of sealed value. */
export interface ResealCounts {
  /** Now sealed under the current key. */
  resealed: number;
  /** No configured key opens them: left as they were (the key they need is missing). */
  unreadable: number;
}

export interface ResealReport {
  webhookSecrets: ResealCounts;
  /** Secrets a secret rotation replaced, kept to sign beside the new ones for a while. */
  previousWebhookSecrets: ResealCounts;
  idempotentAnswers: ResealCounts;
}

const DEFAULT_BATCH_SIZE = 500;

/**
 * `pnpm db:reseal`: rewrites every sealed value not under the box's current key — webhook secrets
 * (the previous ones secret rotations kept too) and stored idempotent answers (clear ones from before answers were sealed too) — in batches of
 * `batchSize` rows, each its own statement, so it runs beside the live apps without long locks.
 * Idempotent: a second run finds nothing to do. Afterwards the previous keys can be dropped, once
 * the report shows nothing unreadable.
 */
export async function reseal(
  dataSource: DataSource,
  box: SecretBox,
  options: { batchSize?: number; log?: (line: string) => void } = {},
): Promise<ResealReport> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const log = options.log ?? (() => {});
  const webhooks = new WebhooksRepository(dataSource);
  const idempotency = new IdempotencyRepository(dataSource, box);
  const report: ResealReport = {
    webhookSecrets: await scan<WebhookId>((after) => webhooks.resealSecretsBatch(box, after, batchSize)),
    previousWebhookSecrets: await scan<WebhookId>((after) => webhooks.resealSecretsBatch(box, after, batchSize, 'previous_secret_sealed')),
    idempotentAnswers: await scan<IdempotencyCursor>((after) => idempotency.resealBatch(after, batchSize)),
  };
  for (const [what, counts] of Object.entries(report)) log(`${what}: ${counts.resealed} re-sealed, ${counts.unreadable} unreadable`);
  return report;
}

/** Runs batches from the start until one says it reached the end, adding up their counts. */
async function scan<Cursor>(batch: (after: Cursor | null) => Promise<ResealBatch<Cursor>>): Promise<ResealCounts> {
  const counts: ResealCounts = { resealed: 0, unreadable: 0 };
  let after: Cursor | null = null;
  do {
    const result: ResealBatch<Cursor> = await batch(after);
    counts.resealed += result.resealed;
    counts.unreadable += result.unreadable;
    after = result.next;
  } while (after !== null);
  return counts;
}
