import { Inject, Injectable } from '@nestjs/common';
import { ApiKeysRepository, DashboardSessionsRepository, type DashboardSession } from '@inbox/db';
import { API_CONFIG, type ApiConfig } from '@inbox/server';
import { hashApiKey, isWellFormedApiKey } from '../auth/api-keys.js';
import { hashSessionToken, newSessionToken } from '../auth/dashboard-session.js';
import { UnauthorizedError } from '../common/api-error.js';

/** Opens, describes and ends dashboard sessions (the cookie side is the controller's). */
@Injectable()
export class DashboardSessionService {
  readonly ttlMs: number;

  constructor(
    private readonly apiKeys: ApiKeysRepository,
    private readonly sessions: DashboardSessionsRepository,
    @Inject(API_CONFIG) config: ApiConfig,
  ) {
    this.ttlMs = config.dashboardSessionTtlMs;
  }

  /** A new session for a live API key: its token (for the cookie, never stored) and what it is. */
  async signIn(apiKey: string): Promise<{ token: string; session: DashboardSession }> {
    const owner = isWellFormedApiKey(apiKey) ? await this.apiKeys.findActiveByHash(hashApiKey(apiKey)) : null;
    if (!owner) throw new UnauthorizedError('The API key is not valid');
    const { token, hash } = newSessionToken();
    await this.sessions.create(owner.accountId, { tokenHash: hash, keyId: owner.keyId, expiresAt: new Date(Date.now() + this.ttlMs) });
    const session = await this.sessions.findActive(hash);
    // Only a key revoked in the last few milliseconds gets here.
    if (!session) throw new UnauthorizedError('The API key is not valid');
    return { token, session };
  }

  async current(token: string | undefined): Promise<DashboardSession> {
    const session = token ? await this.sessions.findActive(hashSessionToken(token)) : null;
    if (!session) throw new UnauthorizedError('Not signed in to the dashboard');
    return session;
  }

  async signOut(token: string | undefined): Promise<void> {
    if (token) await this.sessions.delete(hashSessionToken(token));
  }
}
