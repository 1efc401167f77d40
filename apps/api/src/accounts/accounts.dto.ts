import { z } from 'zod';
import { storableText } from '@inbox/events';

export const createAccountSchema = z
  .strictObject({
    name: storableText('name').trim().min(1, { error: 'name must not be empty' }).max(200, { error: 'name must be at most 200 characters' }),
  })
  .meta({ id: 'CreateAccountRequest', example: { name: 'Acme Inc.' } });

export type CreateAccountBody = z.infer<typeof createAccountSchema>;

export const accountCreatedSchema = z
  .object({
    id: z.string().meta({ example: 'acct_01JD0Y6J6R8Z3Q4W5E6R7T8Y9U' }),
    name: z.string().meta({ example: 'Acme Inc.' }),
    api_key: z.string().meta({ description: 'Shown only in this answer', example: 'inbox_sk_0123456789abcdefghijklmnopqrstuvwxyzABCDE' }),
  })
  .meta({ id: 'AccountCreated' });

export const apiKeyCreatedSchema = z
  .object({
    id: z.string().meta({ example: 'key_01JD0Y6J6R8Z3Q4W5E6R7T8Y9U' }),
    api_key: z.string().meta({ description: 'Shown only in this answer', example: 'inbox_sk_0123456789abcdefghijklmnopqrstuvwxyzABCDE' }),
    prefix: z.string().meta({ description: 'First characters of the key, kept to tell keys apart', example: 'inbox_sk_012345' }),
  })
  .meta({ id: 'ApiKeyCreated' });

export type AccountCreated = z.infer<typeof accountCreatedSchema>;
export type ApiKeyCreated = z.infer<typeof apiKeyCreatedSchema>;
