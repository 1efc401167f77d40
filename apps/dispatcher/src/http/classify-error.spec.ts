import { DnsLookupError, UrlPolicyError } from '@inbox/server';
import { classifyError } from './classify-error.js';

const errno = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('classifyError', () => {
  it.each([
    ['an aborted deadline', new DOMException('The operation was aborted due to timeout', 'TimeoutError'), 'timeout'],
    ["undici's headers timeout", errno('UND_ERR_HEADERS_TIMEOUT'), 'timeout'],
    ["undici's connect timeout", errno('UND_ERR_CONNECT_TIMEOUT'), 'timeout'],
    ['a refused connection', errno('ECONNREFUSED'), 'connection_refused'],
    ['a reset connection', errno('ECONNRESET'), 'connection_reset'],
    ['a socket closed by the other side', errno('UND_ERR_SOCKET', 'other side closed'), 'connection_reset'],
    ['an unknown host', errno('ENOTFOUND'), 'dns'],
    ['a lookup past its deadline', new DnsLookupError('dead.example.com', 'ETIMEOUT', 'no DNS answer'), 'dns'],
    ['a nameserver refusing the query', new DnsLookupError('x.example.com', 'ECONNREFUSED', 'DNS lookup failed'), 'dns'],
    ['a self-signed certificate', errno('DEPTH_ZERO_SELF_SIGNED_CERT'), 'tls'],
    ['a certificate for another host', errno('ERR_TLS_CERT_ALTNAME_INVALID'), 'tls'],
    ['a refused private address', new UrlPolicyError('private_address', 'localhost resolves to 127.0.0.1'), 'blocked_address'],
    ['anything else', new Error('something odd'), 'network'],
  ])('%s → %s', (_label, error, expected) => {
    expect(classifyError(error).error).toBe(expected);
  });

  it('looks through wrapped causes and keeps their messages', () => {
    const wrapped = new TypeError('fetch failed', { cause: errno('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9') });
    expect(classifyError(wrapped)).toEqual({ error: 'connection_refused', message: 'fetch failed: connect ECONNREFUSED 127.0.0.1:9' });
  });

  it('bounds the message', () => {
    expect(classifyError(new Error('x'.repeat(5_000))).message).toHaveLength(500);
  });
});
