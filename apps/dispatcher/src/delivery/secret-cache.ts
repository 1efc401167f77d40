import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { SecretBox, type DispatchRecord } from '@inbox/db';

/** A webhook's secrets, opened: the current one, and the one a rotation replaced while it still signs. */
export interface WebhookSecrets {
  secret: string;
  previousSecret?: string;
}

interface CachedSecrets extends WebhookSecrets {
  /** `webhooks.updated_at` of the row the secrets were opened from: any change to the webhook invalidates them. */
  version: number;
}

/**
 * Opened (decrypted) webhook secrets, briefly, so a burst to one webhook decrypts once. Keyed by
 * webhook id and checked against the row's `updated_at`, so a rotated secret is used at once.
 * The previous secret's expiry does not touch `updated_at`: whether it still signs is the record's
 * say (`previousSecretSealed` is null once it expired), on every call.
 */
@Injectable()
export class SecretCache {
  private readonly cache = new LRUCache<string, CachedSecrets>({ max: 10_000, ttl: 5 * 60_000 });

  constructor(private readonly box: SecretBox) {}

  secretsFor(
    record: Pick<DispatchRecord, 'webhookId' | 'webhookUpdatedAt' | 'secretSealed' | 'previousSecretSealed'>,
  ): WebhookSecrets {
    const version = record.webhookUpdatedAt.getTime();
    let cached = this.cache.get(record.webhookId);
    // Opened again when the previous secret is wanted but was not opened (it had expired then).
    if (
      !cached ||
      cached.version !== version ||
      (record.previousSecretSealed !== null && cached.previousSecret === undefined)
    ) {
      cached = {
        version,
        secret: this.box.open(record.secretSealed),
        previousSecret: record.previousSecretSealed === null ? undefined : this.box.open(record.previousSecretSealed),
      };
      this.cache.set(record.webhookId, cached);
    }
    return record.previousSecretSealed === null
      ? { secret: cached.secret }
      : { secret: cached.secret, previousSecret: cached.previousSecret };
  }
}
