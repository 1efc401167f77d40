import { Inbox } from '@inbox/sdk/web';

/**
 * The header every dashboard request carries. The API requires it on each change made with the
 * session cookie: a page on another site cannot send it (no CORS), so it cannot forge one.
 */
export const CSRF_HEADER = 'X-Inbox-CSRF';

/**
 * `fetch` for the SDK's client in the browser: authenticated by the httpOnly session cookie
 * (same origin), never by a key. The SDK's Authorization header — built from the placeholder
 * below — is dropped, so no API key exists in this page at all once signed in.
 */
export const sessionFetch: typeof fetch = (input, init) => {
  const headers = new Headers(init?.headers);
  headers.delete('authorization');
  headers.delete('user-agent');
  headers.set(CSRF_HEADER, '1');
  return fetch(input, { ...init, headers, credentials: 'same-origin' });
};

/** The one typed client of /v1: the SDK's, over the session. */
export const inbox = new Inbox('dashboard-session', {
  baseUrl: window.location.origin,
  fetch: sessionFetch,
  maxRetries: 1,
  timeoutMs: 15_000,
});
