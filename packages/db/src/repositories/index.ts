// Each repository is a Nest provider taking the DataSource. Every method that reads customer data
// takes the account id as a required argument, so tenant isolation holds by construction.
import { AccountsRepository } from './accounts.repository.js';
import { ApiKeysRepository } from './api-keys.repository.js';
import { AttemptsRepository } from './attempts.repository.js';
import { DeliveriesRepository } from './deliveries.repository.js';
import { EventsRepository } from './events.repository.js';
import { IdempotencyRepository } from './idempotency.repository.js';
import { WebhooksRepository } from './webhooks.repository.js';

export {
  AccountsRepository,
  ApiKeysRepository,
  AttemptsRepository,
  DeliveriesRepository,
  EventsRepository,
  IdempotencyRepository,
  WebhooksRepository,
};

export const REPOSITORIES = [
  AccountsRepository,
  ApiKeysRepository,
  WebhooksRepository,
  EventsRepository,
  IdempotencyRepository,
  DeliveriesRepository,
  AttemptsRepository,
];

export type { AttemptOutcome } from './attempts.repository.js';
export type { DispatchRecord, OverdueDelivery } from './deliveries.repository.js';

// Types the API uses with its repositories.
export type * from './accounts.repository.js';
export type * from './api-keys.repository.js';
export type * from './webhooks.repository.js';
export type * from './events.repository.js';
export type * from './idempotency.repository.js';
export type { AttemptLogEntry, AttemptLogFilter } from './attempts.repository.js';
