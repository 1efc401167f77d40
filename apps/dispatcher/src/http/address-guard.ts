import { isIP } from 'node:net';
import { buildConnector } from 'undici';
import { isPrivateAddress, publicOnlyLookup, UrlPolicyError, type DispatcherConfig, type HostResolver } from '@inbox/server';

/**
 * undici's connector with host names resolved by `resolver` (c-ares under a deadline, never the
 * libuv thread pool) and, unless private URLs are allowed, the network policy applied at connect
 * time: a host name resolving to a loopback, private, link-local or metadata address is refused by
 * `publicOnlyLookup`, and the socket connects to the address that was checked, so a DNS answer that
 * changed since the webhook was registered cannot get through. IP literals skip DNS, so they are
 * checked here. A refusal fails the request with a `UrlPolicyError`, a failed lookup with a
 * `DnsLookupError`.
 */
export function guardedConnector(options: { timeoutMs: number; allowPrivateUrls: boolean; resolver: HostResolver }): buildConnector.connector {
  const { resolver } = options;
  if (options.allowPrivateUrls) return buildConnector({ timeout: options.timeoutMs, lookup: resolver.lookup });
  const connect = buildConnector({ timeout: options.timeoutMs, lookup: publicOnlyLookup(resolver) });
  return (target, callback) => {
    const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
    if (isIP(host) !== 0 && isPrivateAddress(host)) {
      callback(new UrlPolicyError('private_address', `${host} is not a public address`), null);
      return;
    }
    connect(target, callback);
  };
}

/**
 * How long an endpoint host lookup may take: INBOX_DNS_TIMEOUT, but at most half of
 * INBOX_DELIVERY_TIMEOUT, so a dead nameserver fails the attempt as `dns` well before the attempt's
 * own deadline would call it a `timeout`.
 */
export function dnsDeadlineMs(config: Pick<DispatcherConfig, 'dnsTimeoutMs' | 'deliveryTimeoutMs'>): number {
  return Math.min(config.dnsTimeoutMs, Math.floor(config.deliveryTimeoutMs / 2));
}
