import { Account } from './account.entity.js';
import { ApiKey } from './api-key.entity.js';
import { Attempt } from './attempt.entity.js';
import { Delivery } from './delivery.entity.js';
import { EventRecord } from './event.entity.js';
import { IdempotencyKey } from './idempotency-key.entity.js';
import { Webhook } from './webhook.entity.js';

export { Account, ApiKey, Attempt, Delivery, EventRecord, IdempotencyKey, Webhook };
export type { AttemptError, AttemptResult } from './attempt.entity.js';
export type { DeliveryStatus } from './delivery.entity.js';
export type { WebhookStatus } from './webhook.entity.js';

export const ENTITIES = [Account, ApiKey, Webhook, EventRecord, Delivery, Attempt, IdempotencyKey];
