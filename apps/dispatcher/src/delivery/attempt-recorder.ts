import { Injectable } from '@nestjs/common';
import { AttemptsRepository, type AttemptOutcome } from '@inbox/db';
import { microBatcher, type MicroBatcher } from '@inbox/server';
import { DISPATCHER_BATCHING } from './batching.js';

/**
 * Write-behind for attempts: outcomes from concurrent jobs are micro-batched (`microBatcher`) and
 * written in one statement. `record` resolves only once that statement committed, and the job
 * completes (or is retried) only after that, so at-least-once holds: a crash before the commit
 * leaves the job to be retried and the delivery still pending.
 */
@Injectable()
export class AttemptRecorder {
  private readonly writer: MicroBatcher<AttemptOutcome, boolean>;

  constructor(attempts: AttemptsRepository) {
    this.writer = microBatcher(async (outcomes) => {
      // Two outcomes for one delivery in a batch are duplicate tries: the first one counts.
      const first = new Map<string, AttemptOutcome>();
      for (const o of outcomes) if (!first.has(o.deliveryId)) first.set(o.deliveryId, o);
      const recorded = await attempts.recordOutcomes([...first.values()]);
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
