import { isIP } from 'node:net';
import { buildConnector } from 'undici';
import { isPrivateAddress, publicOnlyLookup, UrlPolicyError } from '@inbox/server';

/**
 * undici's connector with the network policy applied at connect time: unless private URLs are
 * allowed, a host name is resolved by `publicOnlyLookup` (refusing loopback, private, link-local
 * and metadata addresses) and the socket connects to the address that was checked, so a DNS answer
 * that changed since the webhook was registered cannot get through. IP literals skip DNS, so they
 * are checked here. A refusal fails the request with a `UrlPolicyError`.
 */
export function guardedConnector(options: { timeoutMs: number; allowPrivateUrls: boolean }): buildConnector.connector {
  if (options.allowPrivateUrls) return buildConnector({ timeout: options.timeoutMs });
  const connect = buildConnector({ timeout: options.timeoutMs, lookup: publicOnlyLookup as never });
  return (target, callback) => {
    const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
    if (isIP(host) !== 0 && isPrivateAddress(host)) {
      callback(new UrlPolicyError('private_address', `${host} is not a public address`), null);
      return;
    }
    connect(target, callback);
  };
}
