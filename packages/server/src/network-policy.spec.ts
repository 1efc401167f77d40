import { createServer } from 'node:net';
import { startFakeNameserver, type FakeNameserver } from '../test/support/fake-nameserver.js';
import { HostResolver } from './host-resolver.js';
import { assertPublicUrl, checkUrlSyntax, isPrivateAddress, publicOnlyLookup, UrlPolicyError } from './network-policy.js';

const strict = { allowHttp: false, allowPrivateUrls: false };

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254', // AWS/GCP/Azure metadata
    '169.254.0.1',
    '100.100.100.200', // Alibaba metadata (carrier-grade NAT range)
    '0.0.0.0',
    '255.255.255.255',
    '224.0.0.1',
    '192.0.2.10',
    '::1',
    '::',
    'fe80::1',
    'fd00:ec2::254', // AWS metadata over IPv6
    'fc00::1',
    '::ffff:127.0.0.1',
    '::ffff:169.254.169.254',
    '::ffff:7f00:1',
    '::127.0.0.1',
    '64:ff9b::a00:1', // NAT64 of 10.0.0.1
    '2002:a00:1::1', // 6to4 of 10.0.0.1
    '[::1]',
    'not-an-ip',
    '',
  ])('refuses %s', (ip) => {
    expect(isPrivateAddress(ip)).toBe(true);
  });

  it.each(['8.8.8.8', '1.1.1.1', '93.184.216.34', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('accepts %s', (ip) => {
    expect(isPrivateAddress(ip)).toBe(false);
  });
});

describe('checkUrlSyntax', () => {
  const code = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      return (e as UrlPolicyError).code;
    }
    return 'ok';
  };

  it('accepts a public https URL', () => {
    expect(checkUrlSyntax('https://yourapp.com/webhooks/inbox', strict).hostname).toBe('yourapp.com');
  });

  it.each([
    ['not a url', 'invalid_url'],
    ['/relative/path', 'invalid_url'],
    ['http://yourapp.com/hook', 'https_required'],
    ['ftp://yourapp.com/hook', 'https_required'],
    ['javascript:alert(1)', 'https_required'],
    ['https://user:pass@yourapp.com/hook', 'url_credentials'],
    ['https://user@yourapp.com/hook', 'url_credentials'],
    ['https://127.0.0.1/hook', 'private_address'],
    ['https://[::1]/hook', 'private_address'],
    ['https://[::ffff:169.254.169.254]/hook', 'private_address'],
    ['https://0x7f.1/hook', 'private_address'], // WHATWG URL normalises to 127.0.0.1
    ['https://2130706433/hook', 'private_address'],
  ])('refuses %s (%s)', (url, expected) => {
    expect(code(() => checkUrlSyntax(url, strict))).toBe(expected);
  });

  it('refuses a URL over 2048 characters', () => {
    expect(code(() => checkUrlSyntax(`https://yourapp.com/${'a'.repeat(2048)}`, strict))).toBe('url_too_long');
  });

  it('allows http and private hosts only when switched on', () => {
    expect(code(() => checkUrlSyntax('http://127.0.0.1:8080/hook', { allowHttp: true, allowPrivateUrls: true }))).toBe('ok');
    expect(code(() => checkUrlSyntax('http://127.0.0.1:8080/hook', { allowHttp: true, allowPrivateUrls: false }))).toBe('private_address');
  });
});

describe('assertPublicUrl', () => {
  let nameserver: FakeNameserver;
  let resolver: HostResolver;
  let deadResolver: HostResolver;
  let dead: FakeNameserver;

  beforeAll(async () => {
    nameserver = await startFakeNameserver((name, type) => {
      if (type === 'AAAA') return 'nxdomain';
      if (name === 'public.example.com') return { addresses: ['93.184.215.14'], ttl: 60 };
      if (name === 'rebind.example.com') return { addresses: ['93.184.215.15', '10.0.0.8'], ttl: 60 };
      return 'nxdomain';
    });
    dead = await startFakeNameserver(() => 'drop');
    resolver = new HostResolver({ timeoutMs: 1_000, servers: [nameserver.address] });
    deadResolver = new HostResolver({ timeoutMs: 300, servers: [dead.address] });
  });
  afterAll(async () => {
    await nameserver.close();
    await dead.close();
  });

  it('accepts a host name that resolves to public addresses only', async () => {
    await expect(assertPublicUrl('https://public.example.com/hook', strict, resolver)).resolves.toBeInstanceOf(URL);
  });

  it('refuses a host name with any non-public address', async () => {
    await expect(assertPublicUrl('https://rebind.example.com/hook', strict, resolver)).rejects.toMatchObject({ code: 'private_address' });
  });

  it('refuses a host name that resolves to loopback', async () => {
    await expect(assertPublicUrl('https://localhost/hook', strict, resolver)).rejects.toMatchObject({ code: 'private_address' });
  });

  it('refuses a host name that does not resolve', async () => {
    await expect(assertPublicUrl('https://gone.example.com/hook', strict, resolver)).rejects.toMatchObject({ code: 'unresolvable_host' });
    await expect(assertPublicUrl('https://no-such-host.invalid/hook', strict, resolver)).rejects.toMatchObject({ code: 'unresolvable_host' });
  });

  it('refuses a host whose nameserver is dead, within the resolver deadline', async () => {
    const started = Date.now();
    await expect(assertPublicUrl('https://dead.example.com/hook', strict, deadResolver)).rejects.toMatchObject({
      code: 'unresolvable_host',
      message: 'url host dead.example.com could not be resolved in time',
    });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('skips resolution when private URLs are allowed', async () => {
    await expect(assertPublicUrl('https://skipped.example.com/hook', { allowHttp: false, allowPrivateUrls: true }, deadResolver)).resolves.toBeInstanceOf(URL);
    // The nameserver never heard of it (other tests' queries, c-ares retries included, name other hosts).
    expect(dead.queries.filter((q) => q.name === 'skipped.example.com')).toEqual([]);
  });
});

describe('publicOnlyLookup', () => {
  it('makes a connection to a loopback host fail', async () => {
    const server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const { connect } = await import('node:net');
    const lookup = publicOnlyLookup(new HostResolver({ timeoutMs: 1_000 }));
    const error = await new Promise<Error>((resolve) => {
      const socket = connect({ host: 'localhost', port, lookup });
      socket.on('error', resolve);
      socket.on('connect', () => resolve(new Error('connected')));
    });
    server.close();
    expect(error).toBeInstanceOf(UrlPolicyError);
    expect((error as UrlPolicyError).code).toBe('private_address');
  });
});
