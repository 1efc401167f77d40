import { AuthenticationError, InboxApiError } from '@inbox/sdk/web';
import { CSRF_HEADER } from './client';

/** Who the dashboard is signed in as (`/dashboard/session`). */
export interface Session {
  account: { id: string; name: string };
  key_prefix: string;
  expires_at: string;
}

const SESSION_PATH = '/dashboard/session';

async function call(method: 'GET' | 'POST' | 'DELETE', body?: unknown): Promise<Response> {
  return fetch(SESSION_PATH, {
    method,
    credentials: 'same-origin',
    headers: { [CSRF_HEADER]: '1', accept: 'application/json', ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function failure(response: Response): Promise<InboxApiError> {
  const body = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
  const init = { status: response.status, code: body.error?.code ?? `http_${response.status}`, message: body.error?.message ?? `HTTP ${response.status}` };
  return response.status === 401 ? new AuthenticationError(init) : new InboxApiError(init);
}

/** The current session, or null when signed out (or it expired). */
export async function fetchSession(): Promise<Session | null> {
  const response = await call('GET');
  if (response.status === 401) return null;
  if (!response.ok) throw await failure(response);
  return (await response.json()) as Session;
}

/** Opens a session with an API key; the key goes out in this one request and is kept nowhere. */
export async function signIn(apiKey: string): Promise<Session> {
  const response = await call('POST', { api_key: apiKey });
  if (!response.ok) throw await failure(response);
  return (await response.json()) as Session;
}

export async function signOut(): Promise<void> {
  const response = await call('DELETE');
  if (!response.ok && response.status !== 401) throw await failure(response);
}
