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

// The SDK makes an Idempotency-Key per POST with crypto.randomUUID, which browsers offer only in
// secure contexts (https, localhost): on plain http from another host, the same v4 UUID from
// getRandomValues, which every context has.
if (typeof crypto.randomUUID !== 'function') {
  crypto.randomUUID = () => {
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6]! & 0x0f) | 0x40;
    b[8] = (b[8]! & 0x3f) | 0x80;
    const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}` as `${string}-${string}-${string}-${string}-${string}`;
  };
}

/** The one typed client of /v1: the SDK's, over the session. */
export const inbox = new Inbox('dashboard-session', {
  baseUrl: window.location.origin,
  fetch: sessionFetch,
  maxRetries: 1,
  timeoutMs: 15_000,
});
