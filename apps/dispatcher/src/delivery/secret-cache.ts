import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { SecretBox, type DispatchRecord } from '@inbox/db';

interface CachedSecret {
  /** `webhooks.updated_at` of the row the secret was opened from: any change to the webhook invalidates it. */
  version: number;
  secret: string;
}

/**
 * Opened (decrypted) webhook secrets, briefly, so a burst to one webhook decrypts once. Keyed by
 * webhook id and checked against the row's `updated_at`, so a rotated secret is used at once.
 */
@Injectable()
export class SecretCache {
  private readonly cache = new LRUCache<string, CachedSecret>({ max: 10_000, ttl: 5 * 60_000 });

  constructor(private readonly box: SecretBox) {}

  secretFor(record: Pick<DispatchRecord, 'webhookId' | 'webhookUpdatedAt' | 'secretSealed'>): string {
    const version = record.webhookUpdatedAt.getTime();
    const cached = this.cache.get(record.webhookId);
    if (cached && cached.version === version) return cached.secret;
    const secret = this.box.open(record.secretSealed);
    this.cache.set(record.webhookId, { version, secret });
    return secret;
  }
}
