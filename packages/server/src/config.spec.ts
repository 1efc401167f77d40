import { ConfigError, DEFAULT_RETRY_SCHEDULE, loadApiConfig, loadDispatcherConfig, loadResealConfig } from './config.js';
import { parseDuration, parseRetrySchedule } from './duration.js';

const secretKey = { INBOX_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') };
const apiRequired = { ...secretKey, INBOX_INTERNAL_TOKEN: 'internal-token-0123456789' };

/** The problems a loader reports for `env`, one per line (fails when it accepts `env`). */
function problems(load: (env: Record<string, string>) => unknown, env: Record<string, string>): string {
  let error: unknown;
  try {
    load(env);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).problems.join('\n');
}

describe('loadDispatcherConfig', () => {
  it('pins the default retry schedule to the docs table: 0, 30s, 2m, 8m, 32m, 2h', () => {
    expect(DEFAULT_RETRY_SCHEDULE).toBe('0,30s,2m,8m,32m,2h');
    expect(loadDispatcherConfig(secretKey).retrySchedule).toEqual([0, 30_000, 120_000, 480_000, 1_920_000, 7_200_000]);
  });

  it('applies documented defaults, without the API-only INBOX_INTERNAL_TOKEN', () => {
    const config = loadDispatcherConfig(secretKey);
    expect(config.deliveryTimeoutMs).toBe(10_000);
    expect(config.reconcileIntervalMs).toBe(30_000);
    expect(config.allowPrivateUrls).toBe(false);
    expect(config.secretKey).toHaveLength(32);
    expect(config).not.toHaveProperty('internalToken');
  });

  it('names every bad or missing variable in one error', () => {
    const found = problems(loadDispatcherConfig, { INBOX_RETRY_SCHEDULE: '0,soon', DISPATCHER_PORT: 'eighty', INBOX_ALLOW_PRIVATE_URLS: 'maybe' });
    expect(found).toMatch(/INBOX_SECRET_KEY is required/);
    expect(found).toMatch(/INBOX_RETRY_SCHEDULE: .*"0,soon"/);
    expect(found).toMatch(/DISPATCHER_PORT/);
    expect(found).toMatch(/INBOX_ALLOW_PRIVATE_URLS/);
    expect(found).not.toMatch(/INBOX_INTERNAL_TOKEN/);
  });

  it('reads switches and durations', () => {
    const config = loadDispatcherConfig({ ...secretKey, INBOX_ALLOW_PRIVATE_URLS: '1', INBOX_RETRY_SCHEDULE: '0,1s,1s', INBOX_DELIVERY_TIMEOUT: '500ms' });
    expect(config.allowPrivateUrls).toBe(true);
    expect(config.retrySchedule).toEqual([0, 1000, 1000]);
    expect(config.deliveryTimeoutMs).toBe(500);
  });

  it('disables a failing webhook after 5 days by default; 0 turns that off', () => {
    expect(loadDispatcherConfig(secretKey).autoDisableAfterMs).toBe(5 * 24 * 3_600_000);
    expect(loadDispatcherConfig({ ...secretKey, INBOX_AUTO_DISABLE_AFTER: '2s' }).autoDisableAfterMs).toBe(2_000);
    expect(loadDispatcherConfig({ ...secretKey, INBOX_AUTO_DISABLE_AFTER: '0' }).autoDisableAfterMs).toBe(0);
    expect(problems(loadDispatcherConfig, { ...secretKey, INBOX_AUTO_DISABLE_AFTER: 'a week' })).toMatch(/INBOX_AUTO_DISABLE_AFTER: .*"a week"/);
  });
});

describe('loadApiConfig', () => {
  it('applies documented defaults', () => {
    const config = loadApiConfig(apiRequired);
    expect(config.port).toBe(3000);
    expect(config.allowHttp).toBe(false);
    expect(config.allowPrivateUrls).toBe(false);
    expect(config.secretKey).toHaveLength(32);
    expect(config.internalToken).toBe('internal-token-0123456789');
  });

  it('refuses to start without INBOX_INTERNAL_TOKEN (an empty one is unset)', () => {
    expect(problems(loadApiConfig, secretKey)).toMatch(/INBOX_INTERNAL_TOKEN is required/);
    expect(problems(loadApiConfig, { ...secretKey, INBOX_INTERNAL_TOKEN: '' })).toMatch(/INBOX_INTERNAL_TOKEN is required/);
  });

  it('names every bad or missing variable in one error', () => {
    const found = problems(loadApiConfig, { INBOX_SECRET_KEY: 'short', PORT: 'eighty', INBOX_ALLOW_HTTP: 'maybe', INBOX_SHUTDOWN_TIMEOUT: 'soon' });
    expect(found).toMatch(/INBOX_INTERNAL_TOKEN is required/);
    expect(found).toMatch(/INBOX_SECRET_KEY: .*openssl rand -base64 32/);
    expect(found).toMatch(/PORT/);
    expect(found).toMatch(/INBOX_ALLOW_HTTP/);
    expect(found).toMatch(/INBOX_SHUTDOWN_TIMEOUT: .*"soon"/);
  });

  it('reads switches', () => {
    const config = loadApiConfig({ ...apiRequired, INBOX_ALLOW_HTTP: 'true', INBOX_ALLOW_PRIVATE_URLS: '1' });
    expect(config.allowHttp).toBe(true);
    expect(config.allowPrivateUrls).toBe(true);
  });
});

describe('INTERNAL_PORT (the API)', () => {
  it('is unset by default (the internal routes share PORT), and reads a port; the dispatcher does not read it', () => {
    expect(loadApiConfig(apiRequired).internalPort).toBeUndefined();
    expect(loadApiConfig({ ...apiRequired, INTERNAL_PORT: '' }).internalPort).toBeUndefined();
    expect(loadApiConfig({ ...apiRequired, INTERNAL_PORT: '3100' }).internalPort).toBe(3100);
    expect(loadDispatcherConfig({ ...secretKey, INTERNAL_PORT: '3100' })).not.toHaveProperty('internalPort');
    expect(problems(loadApiConfig, { ...apiRequired, INTERNAL_PORT: 'eighty' })).toMatch(/INTERNAL_PORT/);
  });

  it("refuses PORT's or METRICS_PORT's port, their defaults included, naming the clash with the other problems", () => {
    expect(problems(loadApiConfig, { ...apiRequired, INTERNAL_PORT: '3000' })).toBe(
      'INTERNAL_PORT and PORT are both 3000: the internal routes need a port of their own',
    );
    expect(problems(loadApiConfig, { ...apiRequired, PORT: '8080', INTERNAL_PORT: '8080' })).toMatch(/INTERNAL_PORT and PORT are both 8080/);
    expect(problems(loadApiConfig, { ...apiRequired, INTERNAL_PORT: '9464' })).toMatch(/INTERNAL_PORT and METRICS_PORT are both 9464/);
    const found = problems(loadApiConfig, { ...apiRequired, METRICS_PORT: '3100', INTERNAL_PORT: '3100', INBOX_ALLOW_HTTP: 'maybe' });
    expect(found).toMatch(/INTERNAL_PORT and METRICS_PORT are both 3100/);
    expect(found).toMatch(/INBOX_ALLOW_HTTP/);
    expect(loadApiConfig({ ...apiRequired, PORT: '3000', METRICS_PORT: '9464', INTERNAL_PORT: '3100' }).internalPort).toBe(3100);
  });

  it('lets 0 (any free port, as in tests) go with PORT and METRICS_PORT at 0', () => {
    expect(loadApiConfig({ ...apiRequired, PORT: '0', METRICS_PORT: '0', INTERNAL_PORT: '0' }).internalPort).toBe(0);
  });
});

describe('Postgres timeouts (both apps)', () => {
  it('default to a 2 s connect and a 5 s statement, and read durations; a statement timeout of 0 is no limit', () => {
    expect(loadApiConfig(apiRequired)).toMatchObject({ databaseConnectTimeoutMs: 2_000, databaseStatementTimeoutMs: 5_000 });
    const tuned = loadDispatcherConfig({ ...secretKey, DATABASE_CONNECT_TIMEOUT: '500ms', DATABASE_STATEMENT_TIMEOUT: '0' });
    expect(tuned).toMatchObject({ databaseConnectTimeoutMs: 500, databaseStatementTimeoutMs: 0 });
  });

  it('refuses a connect timeout of 0 (pg would then wait for ever) and anything not a duration', () => {
    expect(problems(loadDispatcherConfig, { ...secretKey, DATABASE_CONNECT_TIMEOUT: '0', DATABASE_STATEMENT_TIMEOUT: 'soon' })).toBe(
      [
        'DATABASE_CONNECT_TIMEOUT: DATABASE_CONNECT_TIMEOUT must be more than 0',
        'DATABASE_STATEMENT_TIMEOUT: DATABASE_STATEMENT_TIMEOUT must be a duration like 500ms, 10s, 2m or 1h (got "soon")',
      ].join('\n'),
    );
  });
});

describe('parseDuration', () => {
  it.each([
    ['0', 0], ['250ms', 250], ['30s', 30_000], ['2m', 120_000], ['2h', 7_200_000], ['1.5s', 1500],
  ])('%s → %i ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', 'soon', '-1s', '1w', '1 s s'])('rejects %j', (text) => expect(parseDuration(text)).toBeUndefined());

  it('rejects a schedule with one bad entry', () => expect(parseRetrySchedule('0,30s,x')).toBeUndefined());
});

describe('INBOX_SECRET_KEYS_PREVIOUS (both apps and db:reseal)', () => {
  const keyA = Buffer.alloc(32, 1);
  const keyB = Buffer.alloc(32, 2);

  it('is empty by default, and reads comma-separated keys in order', () => {
    expect(loadDispatcherConfig(secretKey).previousSecretKeys).toEqual([]);
    const previous = `${keyA.toString('base64')}, ${keyB.toString('base64')},`;
    expect(loadApiConfig({ ...apiRequired, INBOX_SECRET_KEYS_PREVIOUS: previous }).previousSecretKeys).toEqual([keyA, keyB]);
    expect(loadResealConfig({ ...secretKey, INBOX_SECRET_KEYS_PREVIOUS: previous }).previousSecretKeys).toEqual([keyA, keyB]);
  });

  it('names the bad key, validated like INBOX_SECRET_KEY', () => {
    const found = problems(loadDispatcherConfig, { ...secretKey, INBOX_SECRET_KEYS_PREVIOUS: `${keyA.toString('base64')},short` });
    expect(found).toMatch(/INBOX_SECRET_KEYS_PREVIOUS: key 2 of 2 .*openssl rand -base64 32/);
  });
});

describe('Redis Cluster and Sentinel settings', () => {
  it('reads a single server from REDIS_URL by default, with no cluster or sentinels', () => {
    const config = loadDispatcherConfig(secretKey);
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379/0');
    expect(config).toMatchObject({ redisClusterNodes: undefined, redisSentinels: undefined, redisTls: false, redisPassword: undefined });
  });

  it('reads cluster nodes, a password and TLS, in both apps', () => {
    const env = { REDIS_CLUSTER_NODES: 'redis-0:6379, 10.0.0.2:7000,[::1]:7001', REDIS_PASSWORD: 'pw', REDIS_TLS: 'true' };
    for (const config of [loadDispatcherConfig({ ...secretKey, ...env }), loadApiConfig({ ...apiRequired, ...env })]) {
      expect(config.redisClusterNodes).toEqual([
        { host: 'redis-0', port: 6379 },
        { host: '10.0.0.2', port: 7000 },
        { host: '::1', port: 7001 },
      ]);
      expect(config).toMatchObject({ redisPassword: 'pw', redisTls: true });
    }
  });

  it('reads sentinels with the master name', () => {
    const config = loadApiConfig({ ...apiRequired, REDIS_SENTINELS: 's1:26379,s2:26379', REDIS_SENTINEL_MASTER: 'inbox' });
    expect(config.redisSentinels).toEqual([
      { host: 's1', port: 26379 },
      { host: 's2', port: 26379 },
    ]);
    expect(config.redisSentinelMaster).toBe('inbox');
  });

  it('names malformed host:port entries', () => {
    expect(problems(loadDispatcherConfig, { ...secretKey, REDIS_CLUSTER_NODES: 'redis-0:6379,redis-1' })).toMatch(/REDIS_CLUSTER_NODES: .*host:port.*"redis-1"/);
    expect(problems(loadDispatcherConfig, { ...secretKey, REDIS_SENTINELS: 's1:0', REDIS_SENTINEL_MASTER: 'm' })).toMatch(/REDIS_SENTINELS: .*"s1:0"/);
    expect(problems(loadDispatcherConfig, { ...secretKey, REDIS_CLUSTER_NODES: 'redis-0:99999' })).toMatch(/"redis-0:99999"/);
  });

  it('names conflicting modes in one error with the other problems', () => {
    const found = problems(loadApiConfig, { REDIS_CLUSTER_NODES: 'a:1', REDIS_SENTINELS: 'b:2', REDIS_URL: 'redis://c:3/0' });
    expect(found).toMatch(/INBOX_SECRET_KEY is required/);
    expect(found).toMatch(/REDIS_CLUSTER_NODES and REDIS_SENTINELS are both set/);
    expect(found).toMatch(/REDIS_URL is for a single Redis server/);
    expect(found).toMatch(/REDIS_SENTINEL_MASTER is required with REDIS_SENTINELS/);
  });

  it('names a master name without sentinels, and sentinels without a master name', () => {
    expect(problems(loadDispatcherConfig, { ...secretKey, REDIS_SENTINEL_MASTER: 'inbox' })).toMatch(/REDIS_SENTINEL_MASTER is set without REDIS_SENTINELS/);
    expect(problems(loadDispatcherConfig, { ...secretKey, REDIS_SENTINEL_PASSWORD: 'x' })).toMatch(/REDIS_SENTINEL_PASSWORD is set without REDIS_SENTINELS/);
    expect(problems(loadDispatcherConfig, { ...secretKey, REDIS_SENTINELS: 's1:26379' })).toBe(
      'REDIS_SENTINEL_MASTER is required with REDIS_SENTINELS: the name of the master the sentinels monitor',
    );
  });

  it('treats empty variables as unset (REDIS_URL emptied beside cluster nodes)', () => {
    expect(loadDispatcherConfig({ ...secretKey, REDIS_URL: '', REDIS_CLUSTER_NODES: 'a:1' }).redisClusterNodes).toEqual([{ host: 'a', port: 1 }]);
  });
});
