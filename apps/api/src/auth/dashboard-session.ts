import { createHash, randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { CrossSiteRequestError } from '../common/api-error.js';

/**
 * The dashboard's session: a random token in an httpOnly, SameSite=Strict cookie (Secure over
 * https), of which the server keeps only a SHA-256. Scripts never see it, and other sites' pages
 * never send it; changes made with it must also carry CSRF_HEADER (which a cross-site form cannot
 * send, and cross-site fetch cannot without a CORS preflight the API never allows) and, when the
 * browser names one, an Origin of this host.
 */
export const SESSION_COOKIE = 'inbox_session';
/** Sent by the dashboard on every request; required on every cookie-authenticated change. */
export const CSRF_HEADER = 'x-inbox-csrf';

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A new session token (32 random bytes, base64url) and the hash that is stored. */
export function newSessionToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashSessionToken(token) };
}

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The request's well-formed session token, or undefined (no cookie, or one that cannot be a token). */
export function sessionToken(req: Pick<FastifyRequest, 'cookies'>): string | undefined {
  const token = req.cookies?.[SESSION_COOKIE];
  return token !== undefined && TOKEN_PATTERN.test(token) ? token : undefined;
}

/** True when the request arrived over https, directly or through a proxy that says so. */
export function cameOverHttps(req: Pick<FastifyRequest, 'protocol' | 'headers'>): boolean {
  return req.protocol === 'https' || firstHeaderValue(req.headers['x-forwarded-proto']) === 'https';
}

/** Refuses a change (any method but GET, HEAD, OPTIONS) that the dashboard's own pages did not send. */
export function assertSameSiteChange(req: Pick<FastifyRequest, 'method' | 'headers'>): void {
  if (SAFE_METHODS.has(req.method)) return;
  if (req.headers[CSRF_HEADER] === undefined) {
    throw new CrossSiteRequestError(`A change made with the dashboard's session must carry the ${CSRF_HEADER} header`);
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !sameHost(origin, req.headers['x-forwarded-host'] ?? req.headers.host)) {
    throw new CrossSiteRequestError('A change made with the dashboard\'s session must come from the dashboard\'s own origin');
  }
}

/** The first value of a header a proxy may have repeated or listed ("a, b"), lower-cased. */
function firstHeaderValue(header: string | string[] | undefined): string | undefined {
  return (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim().toLowerCase();
}

function sameHost(origin: string, host: string | string[] | undefined): boolean {
  const expected = firstHeaderValue(host);
  try {
    return expected !== undefined && new URL(origin).host.toLowerCase() === expected;
  } catch {
    return false;
  }
}
