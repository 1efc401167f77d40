import { Injectable } from '@nestjs/common';
import { AccountsRepository, ApiKeysRepository, newId, type AccountId, type ApiKeyId } from '@inbox/db';
import { NotFoundError } from '../common/api-error.js';
import { generateApiKey } from '../auth/api-keys.js';
import type { AccountCreated, ApiKeyCreated } from './accounts.dto.js';

/** Accounts and their API keys, provisioned by internal services. Keys are shown once, stored hashed. */
@Injectable()
export class AccountsService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly apiKeys: ApiKeysRepository,
  ) {}

  async create(name: string): Promise<AccountCreated> {
    const key = generateApiKey();
    const account = await this.accounts.createWithKey(newId('account'), {
      name,
      keyId: newId('apiKey'),
      keyHash: key.hash,
      keyPrefix: key.prefix,
    });
    return { id: account.id, name: account.name, api_key: key.key };
  }

  async createKey(accountId: AccountId): Promise<ApiKeyCreated> {
    const key = generateApiKey();
    const id = newId('apiKey');
    const created = await this.apiKeys.create(accountId, { id, keyHash: key.hash, prefix: key.prefix });
    if (!created) throw new NotFoundError('Account');
    return { id, api_key: key.key, prefix: key.prefix };
  }

  async revokeKey(accountId: AccountId, keyId: ApiKeyId): Promise<void> {
    if (!(await this.apiKeys.revoke(accountId, keyId))) throw new NotFoundError('API key');
  }
}
