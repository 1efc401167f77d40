// A type-level spec: `pnpm typecheck` compiles it and nothing runs it. Each `@ts-expect-error` line
// must fail to compile — if one ever compiles (a swapped or missing id got through), the directive
// itself becomes the error and typecheck fails.
import type { DataSource } from 'typeorm';
import {
  AccountsRepository,
  ApiKeysRepository,
  AttemptsRepository,
  DeliveriesRepository,
  EventsRepository,
  IdempotencyRepository,
  ResendsRepository,
  WebhooksRepository,
  type SecretBox,
  isId,
  newId,
  parseId,
  type AccountId,
  type AttemptId,
  type DeliveryId,
  type EventId,
  type WebhookId,
} from '../src/index.js';

declare const dataSource: DataSource;
declare const box: SecretBox;
const webhooks = new WebhooksRepository(dataSource);
const events = new EventsRepository(dataSource);
const attempts = new AttemptsRepository(dataSource);
const apiKeys = new ApiKeysRepository(dataSource);
const accounts = new AccountsRepository(dataSource);
const deliveries = new DeliveriesRepository(dataSource);
const resends = new ResendsRepository(dataSource);
const idempotency = new IdempotencyRepository(dataSource, box);

const accountId = newId('account');
const webhookId = newId('webhook');
const eventId = newId('event');
const keyId = newId('apiKey');
const plain = 'acct_0123456789';

export async function compiles(): Promise<void> {
  // The right kinds in the right places.
  await webhooks.find(accountId, webhookId);
  await webhooks.list(accountId, { limit: 10 });
  await webhooks.rotateSecret(accountId, webhookId, 'sealed', 60);
  await events.findWithDeliveries(accountId, eventId);
  await events.findStored(accountId, [eventId]);
  await resends.resend(accountId, webhookId, eventId);
  await attempts.listForWebhook(accountId, webhookId, {}, { limit: 10 });
  await apiKeys.revoke(accountId, keyId);
  await idempotency.claim(accountId, 'key', 'hash');
  await idempotency.claim('internal', 'key', 'hash');
  // A request's id becomes an id only through a parser that checks it.
  const parsed = parseId('webhook', 'wh_0123');
  if (parsed) await webhooks.find(accountId, parsed);
  if (isId('account', plain)) await webhooks.find(plain, webhookId);
}

export async function swappedOrMissing(): Promise<void> {
  // @ts-expect-error account and webhook ids swapped
  await webhooks.find(webhookId, accountId);
  // @ts-expect-error a plain string is not an AccountId
  await webhooks.find(plain, webhookId);
  // @ts-expect-error the account id is required
  await webhooks.find(webhookId);
  // @ts-expect-error an event id is not a webhook id
  await webhooks.softDelete(accountId, eventId);
  // @ts-expect-error account and event ids swapped
  await events.findWithDeliveries(eventId, accountId);
  // @ts-expect-error findStored takes the account id first
  await events.findStored([eventId]);
  // @ts-expect-error a webhook id is not an event id
  await attempts.listForEvent(accountId, webhookId);
  // @ts-expect-error a resend names the account, then the webhook, then the event
  await resends.resend(accountId, eventId, webhookId);
  // @ts-expect-error a recover names its account first
  await resends.recoverBatch(webhookId, webhookId, { since: new Date(), until: new Date() }, null, 10);
  // @ts-expect-error the log page cursor is an attempt id, not a webhook id
  await attempts.listForWebhook(accountId, webhookId, {}, { limit: 10, before: webhookId });
  // @ts-expect-error an API key id is not an account id
  await apiKeys.revoke(keyId, keyId);
  // @ts-expect-error creating a webhook names its account first
  await webhooks.create({ id: webhookId, url: 'https://example.com', events: [], description: null, secretSealed: 'x' }, 10);
  // @ts-expect-error rotating a secret names the account first
  await webhooks.rotateSecret(webhookId, 'sealed', 60);
  // @ts-expect-error a key's id must be an ApiKeyId
  await accounts.createWithKey(accountId, { name: 'A', keyId: accountId, keyHash: 'h', keyPrefix: 'p' });
  // @ts-expect-error the idempotency scope is an account id or 'internal', not any string
  await idempotency.claim('acct_someone', 'key', 'hash');
  // @ts-expect-error the dispatcher reads deliveries by delivery id only
  await deliveries.loadForDispatch([eventId]);
  // @ts-expect-error newId's kind decides its type
  const wrong: AccountId = newId('webhook');
  // @ts-expect-error ids of different kinds are different types
  const attempt: AttemptId = newId('delivery') satisfies DeliveryId;
  void wrong;
  void attempt;
  void ({} as EventId);
  void ({} as WebhookId);
}
