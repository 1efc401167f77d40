import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { IdempotencyRepository } from '@inbox/db';

const EVERY_MS = 60 * 60 * 1000;

/**
 * Deletes stored Idempotency-Key answers past their 24 h once an hour, in batches of short DELETEs
 * found by idempotency_keys_created_at_idx. Every replica may run it: the DELETEs are idempotent,
 * and expired keys are ignored by lookups anyway.
 */
@Injectable()
export class IdempotencyJanitor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('IdempotencyJanitor');
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly store: IdempotencyRepository) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.purge(), EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async purge(): Promise<number> {
    try {
      const purged = await this.store.purgeExpired();
      if (purged > 0) this.logger.log(`purged ${purged} expired idempotency keys`);
      return purged;
    } catch (error) {
      this.logger.warn(`idempotency key purge failed: ${(error as Error).message}`);
      return 0;
    }
  }
}
