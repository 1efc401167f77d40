// Each repository is a Nest provider taking the DataSource. Every method that reads or changes one
// account's data takes `accountId: AccountId` first, and ids are branded by kind (ids.ts), so a
// missing or swapped account id does not compile (tenancy.type-spec.ts proves it). The exceptions
// say why: the API-key lookup that finds the account (and the dashboard-session lookup by token
// hash, which does too), bulk ingest (each row carries its AccountId), the dispatcher's reads by
// delivery id (each record carries its AccountId), its sweep of unannounced auto-disables (each
// carries its AccountId), and the key rotation's re-seal batches, which rewrite every account's
// sealed values and read none, and the retention cleanup, which removes every account's expired
// history and reads none.
import { AccountsRepository } from './accounts.repository.js';
import { ApiKeysRepository } from './api-keys.repository.js';
import { AttemptsRepository } from './attempts.repository.js';
import { DashboardSessionsRepository } from './dashboard-sessions.repository.js';
import { DeliveriesRepository } from './deliveries.repository.js';
import { EventsRepository } from './events.repository.js';
import { IdempotencyRepository } from './idempotency.repository.js';
import { ResendsRepository } from './resends.repository.js';
import { RetentionRepository } from './retention.repository.js';
import { WebhooksRepository } from './webhooks.repository.js';

export {
  AccountsRepository,
  ApiKeysRepository,
  AttemptsRepository,
  DashboardSessionsRepository,
  DeliveriesRepository,
  EventsRepository,
  IdempotencyRepository,
  ResendsRepository,
  RetentionRepository,
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
  ResendsRepository,
  DashboardSessionsRepository,
  RetentionRepository,
];

export { NOTHING_SENT } from './attempts.repository.js';
export type { AttemptError, NothingSentError, AttemptOutcome, AttemptResult, AutoDisablePolicy, RecordedOutcomes } from './attempts.repository.js';
export type { ResealBatch } from './reseal-batch.js';
export type { PurgedHistory } from './retention.repository.js';
export type { DeliveryStatus, DispatchRecord, OverdueDelivery } from './deliveries.repository.js';

// Types the API uses with its repositories.
export type * from './accounts.repository.js';
export type * from './api-keys.repository.js';
export type * from './webhooks.repository.js';
export type * from './events.repository.js';
export type * from './idempotency.repository.js';
export type * from './resends.repository.js';
export type * from './dashboard-sessions.repository.js';
export type { AttemptHourStats, AttemptLogEntry, AttemptLogFilter } from './attempts.repository.js';
