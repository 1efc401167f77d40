import { z } from 'zod';
import type { DashboardSession } from '@inbox/db';
import { isoRequired } from '../common/iso.js';

/** `POST /dashboard/session`: the API key to sign in with. */
export const signInSchema = z.strictObject({
  api_key: z.string().max(255, { error: 'api_key is not an API key' }),
});

export type SignInBody = z.infer<typeof signInSchema>;

/** Who the dashboard is signed in as. */
export interface SessionResponse {
  account: { id: string; name: string };
  /** The first characters of the API key the session acts as. */
  key_prefix: string;
  expires_at: string;
}

export function presentSession(session: DashboardSession): SessionResponse {
  return {
    account: { id: session.accountId, name: session.accountName },
    key_prefix: session.keyPrefix,
    expires_at: isoRequired(session.expiresAt),
  };
}
