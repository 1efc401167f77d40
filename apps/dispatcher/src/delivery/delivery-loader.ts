import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { DeliveriesRepository, type DispatchRecord } from '@inbox/db';
import { batchScheduleFn, MAX_BATCH } from './batching.js';

/**
 * Loads what an attempt needs (delivery, event body, webhook) by delivery id. Concurrent jobs'
 * loads are batched into one query; nothing is cached (each attempt reads the current row).
 */
@Injectable()
export class DeliveryLoader {
  private readonly loader: DataLoader<string, DispatchRecord | undefined>;

  constructor(deliveries: DeliveriesRepository) {
    this.loader = new DataLoader(
      async (ids) => {
        const records = new Map((await deliveries.loadForDispatch(ids)).map((r) => [r.deliveryId, r]));
        return ids.map((id) => records.get(id));
      },
      { cache: false, maxBatchSize: MAX_BATCH, batchScheduleFn },
    );
  }

  load(deliveryId: string): Promise<DispatchRecord | undefined> {
    return this.loader.load(deliveryId);
  }
}
