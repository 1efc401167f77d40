import { Body, Controller, Delete, HttpCode, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AccountId, ApiKeyId } from '@inbox/db';
import { ApiErrorResponse } from '../common/api-error-response.decorator.js';
import { IdParam } from '../common/id-param.js';
import { InternalAuth } from '../auth/auth.decorators.js';
import { accountCreatedSchema, apiKeyCreatedSchema, createAccountSchema, type CreateAccountBody } from './accounts.dto.js';
import { AccountsService } from './accounts.service.js';

@ApiTags('accounts')
@InternalAuth()
@Controller('internal/v1/accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ operationId: 'createAccount', summary: 'Create an account and its first API key (shown only here)' })
  @ApiCreatedResponse({ standardSchema: accountCreatedSchema })
  create(@Body({ schema: createAccountSchema }) body: CreateAccountBody) {
    return this.accounts.create(body.name);
  }

  @Post(':accountId/keys')
  @HttpCode(201)
  @ApiOperation({ operationId: 'createApiKey', summary: 'Create another API key for the account (shown only here)' })
  @ApiCreatedResponse({ standardSchema: apiKeyCreatedSchema })
  @ApiErrorResponse(404, 'No such account')
  createKey(@IdParam('accountId', 'account', 'Account') accountId: AccountId) {
    return this.accounts.createKey(accountId);
  }

  @Delete(':accountId/keys/:keyId')
  @HttpCode(204)
  @ApiOperation({ operationId: 'revokeApiKey', summary: 'Revoke an API key: requests with it get 401 from now on' })
  @ApiNoContentResponse()
  @ApiErrorResponse(404, 'No such key for this account')
  async revokeKey(@IdParam('accountId', 'account', 'API key') accountId: AccountId, @IdParam('keyId', 'apiKey', 'API key') keyId: ApiKeyId): Promise<void> {
    await this.accounts.revokeKey(accountId, keyId);
  }
}
