import { Inject, Injectable } from '@nestjs/common';
import { AttemptsRepository, type AttemptOutcome } from '@inbox/db';
import { DISPATCHER_CONFIG, microBatcher, type DispatcherConfig, type MicroBatcher } from '@inbox/server';
import { DISPATCHER_BATCHING } from './batching.js';
import { DisableAnnouncer } from './disable-announcer.js';

/**
 * Write-behind for attempts: outcomes from concurrent jobs are micro-batched (`microBatcher`) and
 * written in one statement. `record` resolves only once that statement committed, and the job
 * completes (or is retried) only after that, so at-least-once holds: a crash before the commit
 * leaves the job to be retried and the delivery still pending. The same statement keeps each
 * webhook's failure streak and disables it when it lasted INBOX_AUTO_DISABLE_AFTER (or on a 410
 * Gone); the disables it made are announced after the commit.
 */
@Injectable()
export class AttemptRecorder {
  private readonly writer: MicroBatcher<AttemptOutcome, boolean>;

  constructor(attempts: AttemptsRepository, announcer: DisableAnnouncer, @Inject(DISPATCHER_CONFIG) config: DispatcherConfig) {
    const policy = { autoDisableAfterMs: config.autoDisableAfterMs };
    this.writer = microBatcher(async (outcomes) => {
      // Two outcomes for one delivery in a batch are duplicate tries: the first one counts.
      const first = new Map<string, AttemptOutcome>();
      for (const o of outcomes) if (!first.has(o.deliveryId)) first.set(o.deliveryId, o);
      const { recorded, disabled } = await attempts.recordOutcomes([...first.values()], policy);
      announcer.announceSoon(disabled);
      return outcomes.map((o) => first.get(o.deliveryId) === o && recorded.has(o.deliveryId));
    }, DISPATCHER_BATCHING);
  }

  /**
   * Records the attempt and moves its delivery on. False when the delivery had already moved on
   * (another worker recorded this attempt number first): then this try is not counted.
   */
  record(outcome: AttemptOutcome): Promise<boolean> {
    return this.writer.load(outcome);
  }
}
