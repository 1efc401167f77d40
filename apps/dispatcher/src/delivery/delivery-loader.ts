import { Injectable } from '@nestjs/common';
import { DeliveriesRepository, type DeliveryId, type DispatchRecord } from '@inbox/db';
import { microBatcher, type MicroBatcher } from '@inbox/server';
import { DISPATCHER_BATCHING } from './batching.js';

/**
 * Loads what an attempt needs (delivery, event body, webhook) by delivery id. Concurrent jobs'
 * loads are batched into one query; nothing is cached (each attempt reads the current row).
 */
@Injectable()
export class DeliveryLoader {
  private readonly loader: MicroBatcher<DeliveryId, DispatchRecord | undefined>;

  constructor(deliveries: DeliveriesRepository) {
    this.loader = microBatcher(async (ids) => {
      const records = new Map((await deliveries.loadForDispatch(ids)).map((r) => [r.deliveryId, r]));
      return ids.map((id) => records.get(id));
    }, DISPATCHER_BATCHING);
  }

  load(deliveryId: DeliveryId): Promise<DispatchRecord | undefined> {
    return this.loader.load(deliveryId);
  }
}
