import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { DnsLookupError, type AddressCheck, type HostResolver, type ResolvedAddress } from './host-resolver.js';

/**
 * Where webhook endpoints may point. The API checks a URL when it is registered; the dispatcher
 * checks the address it actually connects to (DNS can change in between), with `publicOnlyLookup`.
 */
export interface NetworkPolicy {
  /** Allow `http:` as well as `https:` (tests, local development). */
  allowHttp: boolean;
  /** Allow loopback, private, link-local, metadata and other non-public addresses. */
  allowPrivateUrls: boolean;
}

export const MAX_WEBHOOK_URL_LENGTH = 2048;

export type UrlPolicyViolation =
  | 'invalid_url'
  | 'url_too_long'
  | 'https_required'
  | 'url_credentials'
  | 'private_address'
  | 'unresolvable_host';

/** A URL the policy refuses; `code` says why (API error code, delivery error detail). */
export class UrlPolicyError extends Error {
  constructor(
    readonly code: UrlPolicyViolation,
    message: string,
  ) {
    super(message);
    this.name = 'UrlPolicyError';
  }
}

/**
 * True unless `ip` is a public unicast address. Refused: loopback, RFC 1918 private, link-local
 * (169.254.0.0/16, which holds the 169.254.169.254 metadata service; fe80::/10), unique-local
 * (fc00::/7, which holds AWS's fd00:ec2::254), carrier-grade NAT, multicast, broadcast, reserved and
 * documentation ranges, and every IPv6 form that embeds an IPv4 address (IPv4-mapped, IPv4-compatible,
 * NAT64, 6to4, Teredo), since those can reach a private IPv4 host. Anything that is not an IP
 * address at all counts as private: fail closed.
 */
export function isPrivateAddress(ip: string): boolean {
  const bare = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  if (!ipaddr.isValid(bare)) return true;
  // process() unwraps IPv4-mapped IPv6 (::ffff:10.0.0.1 → 10.0.0.1) so it is judged as IPv4.
  const address = ipaddr.process(bare);
  if (address.kind() === 'ipv6' && isIpv4Compatible(address as ipaddr.IPv6)) return true;
  return address.range() !== 'unicast';
}

/** Deprecated `::a.b.c.d` (::/96), which ipaddr.js files under plain unicast. */
function isIpv4Compatible(address: ipaddr.IPv6): boolean {
  return address.parts.slice(0, 6).every((part) => part === 0);
}

/**
 * Checks what can be checked without the network: an absolute URL of at most 2048 characters,
 * `https:` (or `http:` when allowed), no user name or password, and — when the host is an IP
 * literal — a public address. Returns the parsed URL.
 */
export function checkUrlSyntax(raw: string, policy: NetworkPolicy): URL {
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) {
    throw new UrlPolicyError('url_too_long', `url must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UrlPolicyError('invalid_url', 'url must be an absolute URL such as https://example.com/webhooks');
  }
  const httpOk = policy.allowHttp && url.protocol === 'http:';
  if (url.protocol !== 'https:' && !httpOk) {
    throw new UrlPolicyError('https_required', policy.allowHttp ? 'url must use https or http' : 'url must use https');
  }
  if (url.username !== '' || url.password !== '') {
    throw new UrlPolicyError('url_credentials', 'url must not contain a user name or password');
  }
  if (url.hostname === '') throw new UrlPolicyError('invalid_url', 'url must name a host');
  const host = hostOf(url);
  if (!policy.allowPrivateUrls && ipaddr.isValid(host) && isPrivateAddress(host)) {
    throw new UrlPolicyError('private_address', `url host ${host} is not a public address`);
  }
  return url;
}

/**
 * `checkUrlSyntax`, then (unless private URLs are allowed) resolves the host with `resolver` (whose
 * deadline bounds the wait) and refuses it when any address it resolves to is not public, or when
 * it does not resolve at all.
 */
export async function assertPublicUrl(raw: string, policy: NetworkPolicy, resolver: HostResolver): Promise<URL> {
  const url = checkUrlSyntax(raw, policy);
  if (policy.allowPrivateUrls) return url;
  const host = hostOf(url);
  if (ipaddr.isValid(host)) return url; // an IP literal was judged by checkUrlSyntax
  let addresses: readonly ResolvedAddress[];
  try {
    addresses = await resolver.resolve(host);
  } catch (error) {
    const why = error instanceof DnsLookupError && error.code === 'ETIMEOUT' ? 'could not be resolved in time' : 'does not resolve';
    throw new UrlPolicyError('unresolvable_host', `url host ${host} ${why}`);
  }
  const refused = refusePrivate(host, addresses);
  if (refused) throw new UrlPolicyError('private_address', `url ${refused.message}`);
  return url;
}

/** Refuses an answer with any address that is not public. */
const refusePrivate: AddressCheck = (hostname, addresses) => {
  const refused = addresses.find((a) => isPrivateAddress(a.address));
  return refused ? new UrlPolicyError('private_address', `host ${hostname} resolves to ${refused.address}, which is not a public address`) : undefined;
};

/**
 * A `dns.lookup` replacement for `net.connect`/undici's `connect.lookup`: resolves with `resolver`
 * and fails with a `UrlPolicyError` (code `private_address`) when the host resolves to a non-public
 * address, so the address checked is the address connected to (no DNS-rebinding window).
 */
export function publicOnlyLookup(resolver: HostResolver): LookupFunction {
  return resolver.lookupFunction(refusePrivate);
}

/** URL hostname without the brackets of an IPv6 literal. */
function hostOf(url: URL): string {
  const h = url.hostname;
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}
