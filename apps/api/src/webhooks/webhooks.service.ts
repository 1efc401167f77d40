import { Inject, Injectable } from '@nestjs/common';
import { generateSecret } from '@inbox/signing';
import { newId, SecretBox, WebhooksRepository, type AccountId, type WebhookId, type WebhookRecord } from '@inbox/db';
import { API_CONFIG, assertPublicUrl, HostResolver, type ApiConfig } from '@inbox/server';
import { ApiError, ConflictError, NotFoundError } from '../common/api-error.js';
import { decodeCursor, DEFAULT_LIMIT, toPage, type Page } from '../common/pagination.js';
import { iso } from '../common/iso.js';
import {
  presentWebhook,
  type CreateWebhookBody,
  type RotatedSecretResponse,
  type UpdateWebhookBody,
  type WebhookResponse,
} from './webhooks.dto.js';

/** A customer's webhooks. Every read and write is scoped to the caller's account. */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly secrets: SecretBox,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly resolver: HostResolver,
  ) {}

  async create(accountId: AccountId, body: CreateWebhookBody): Promise<WebhookResponse & { secret: string }> {
    await assertPublicUrl(body.url, this.config, this.resolver);
    const secret = generateSecret();
    const result = await this.webhooks.create(
      accountId,
      {
        id: newId('webhook'),
        url: body.url,
        events: body.events,
        description: body.description ?? null,
        rateLimit: body.rate_limit ?? null,
        secretSealed: this.secrets.seal(secret),
      },
      this.config.maxWebhooksPerAccount,
    );
    if ('limitReached' in result) {
      throw new ApiError(409, 'webhook_limit_reached', `An account can have at most ${this.config.maxWebhooksPerAccount} webhooks; delete one first`);
    }
    if ('accountMissing' in result) throw new NotFoundError('Account');
    return { ...presentWebhook(result.created), secret };
  }

  async list(accountId: AccountId, query: { limit?: number; cursor?: string }): Promise<Page<WebhookResponse>> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const before = decodeCursor(query.cursor, 'webhook');
    const rows = await this.webhooks.list(accountId, { limit: limit + 1, before });
    return toPage(rows, limit, presentWebhook);
  }

  async get(accountId: AccountId, id: WebhookId): Promise<WebhookResponse> {
    return presentWebhook(await this.require(accountId, id));
  }

  async update(accountId: AccountId, id: WebhookId, body: UpdateWebhookBody): Promise<WebhookResponse> {
    await this.require(accountId, id); // 404 before URL checks: never reveal anything about others' ids
    await assertPublicUrl(body.url, this.config, this.resolver);
    const updated = await this.webhooks.update(accountId, id, {
      url: body.url,
      events: body.events,
      description: body.description ?? null,
      status: body.status,
      rateLimit: body.rate_limit,
    });
    if (!updated) throw new NotFoundError('Webhook');
    return presentWebhook(updated);
  }

  async remove(accountId: AccountId, id: WebhookId): Promise<void> {
    if (!(await this.webhooks.softDelete(accountId, id))) throw new NotFoundError('Webhook');
  }

  async secret(accountId: AccountId, id: WebhookId): Promise<{ secret: string }> {
    const sealed = await this.webhooks.findSealedSecret(accountId, id);
    if (!sealed) throw new NotFoundError('Webhook');
    return { secret: this.secrets.open(sealed) };
  }

  /**
   * A new secret signs from now on; the one it replaces keeps signing beside it for
   * `overlapSeconds` (0: not at all). A previous secret still overlapping stops at once.
   */
  async rotateSecret(accountId: AccountId, id: WebhookId, overlapSeconds: number): Promise<RotatedSecretResponse> {
    const secret = generateSecret();
    const rotation = await this.webhooks.rotateSecret(accountId, id, this.secrets.seal(secret), overlapSeconds);
    if (!rotation) throw new NotFoundError('Webhook');
    return { secret, previous_secret_expires_at: iso(rotation.previousSecretExpiresAt) };
  }

  /** A live webhook of the account, or a 404. */
  async require(accountId: AccountId, id: WebhookId): Promise<WebhookRecord> {
    const webhook = await this.webhooks.find(accountId, id);
    if (!webhook) throw new NotFoundError('Webhook');
    return webhook;
  }

  /** A live, enabled webhook of the account: a 404, or a 409 `webhook_disabled` naming what it blocks. */
  async requireEnabled(accountId: AccountId, id: WebhookId, toDo: string): Promise<WebhookRecord> {
    const webhook = await this.require(accountId, id);
    if (webhook.status !== 'enabled') throw new ConflictError('webhook_disabled', `The webhook is disabled; enable it to ${toDo}`);
    return webhook;
  }
}
