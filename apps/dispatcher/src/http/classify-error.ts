import type { AttemptError } from '@inbox/db';

const MAX_MESSAGE = 500;

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME']);
const TLS_CODES = new Set([
  'EPROTO',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
]);

/** The error and its `cause` chain, outermost first (undici wraps socket errors). */
function chain(error: unknown): Array<{ name?: string; code?: unknown; message?: string }> {
  const out: Array<{ name?: string; code?: unknown; message?: string }> = [];
  let current: unknown = error;
  while (current && typeof current === 'object' && out.length < 5) {
    out.push(current as { name?: string; code?: unknown; message?: string });
    current = (current as { cause?: unknown }).cause;
  }
  return out;
}

function kindOf(name: string | undefined, code: string): AttemptError | undefined {
  if (name === 'UrlPolicyError' || code === 'private_address') return 'blocked_address';
  // Before the codes: a resolver's ECONNREFUSED or ETIMEOUT is about the nameserver, not the endpoint.
  if (name === 'DnsLookupError') return 'dns';
  if (name === 'TimeoutError' || TIMEOUT_CODES.has(code)) return 'timeout';
  if (code === 'ECONNREFUSED') return 'connection_refused';
  if (RESET_CODES.has(code)) return 'connection_reset';
  if (DNS_CODES.has(code)) return 'dns';
  if (TLS_CODES.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || code.startsWith('CERT_')) return 'tls';
  return undefined;
}

/**
 * Maps a failed request to the attempt's `error` (timeout, connection_refused, connection_reset,
 * dns, tls, blocked_address, else network) and a short message for the delivery log.
 */
export function classifyError(error: unknown): { error: AttemptError; message: string } {
  const links = chain(error);
  let kind: AttemptError | undefined;
  for (const link of links) {
    kind = kindOf(link.name, typeof link.code === 'string' ? link.code : '');
    if (kind) break;
  }
  const messages = links.map((l) => l.message).filter((m): m is string => typeof m === 'string' && m !== '');
  const message = [...new Set(messages)].join(': ') || String(error);
  return { error: kind ?? 'network', message: message.slice(0, MAX_MESSAGE) };
}
