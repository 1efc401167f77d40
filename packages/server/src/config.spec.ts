import { ConfigError, DEFAULT_RETRY_SCHEDULE, loadConfig } from './config.js';
import { parseDuration, parseRetrySchedule } from './duration.js';

const required = { INBOX_INTERNAL_TOKEN: 'internal-token-0123456789', INBOX_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') };

describe('loadConfig', () => {
  it('pins the default retry schedule to the docs table: 0, 30s, 2m, 8m, 32m, 2h', () => {
    expect(DEFAULT_RETRY_SCHEDULE).toBe('0,30s,2m,8m,32m,2h');
    expect(loadConfig(required).retrySchedule).toEqual([0, 30_000, 120_000, 480_000, 1_920_000, 7_200_000]);
  });

  it('applies documented defaults', () => {
    const config = loadConfig(required);
    expect(config.deliveryTimeoutMs).toBe(10_000);
    expect(config.reconcileIntervalMs).toBe(30_000);
    expect(config.allowHttp).toBe(false);
    expect(config.allowPrivateUrls).toBe(false);
    expect(config.secretKey).toHaveLength(32);
  });

  it('names every bad or missing variable in one error', () => {
    let error: unknown;
    try {
      loadConfig({ INBOX_SECRET_KEY: 'short', INBOX_RETRY_SCHEDULE: '0,soon', PORT: 'eighty', INBOX_ALLOW_HTTP: 'maybe' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/INBOX_INTERNAL_TOKEN is required/);
    expect(problems).toMatch(/INBOX_SECRET_KEY: .*openssl rand -base64 32/);
    expect(problems).toMatch(/INBOX_RETRY_SCHEDULE: .*"0,soon"/);
    expect(problems).toMatch(/PORT/);
    expect(problems).toMatch(/INBOX_ALLOW_HTTP/);
  });

  it('reads switches and durations', () => {
    const config = loadConfig({ ...required, INBOX_ALLOW_HTTP: 'true', INBOX_ALLOW_PRIVATE_URLS: '1', INBOX_RETRY_SCHEDULE: '0,1s,1s', INBOX_DELIVERY_TIMEOUT: '500ms' });
    expect(config.allowHttp).toBe(true);
    expect(config.allowPrivateUrls).toBe(true);
    expect(config.retrySchedule).toEqual([0, 1000, 1000]);
    expect(config.deliveryTimeoutMs).toBe(500);
  });
});

describe('parseDuration', () => {
  it.each([
    ['0', 0], ['250ms', 250], ['30s', 30_000], ['2m', 120_000], ['2h', 7_200_000], ['1.5s', 1500],
  ])('%s → %i ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', 'soon', '-1s', '1w', '1 s s'])('rejects %j', (text) => expect(parseDuration(text)).toBeUndefined());

  it('rejects a schedule with one bad entry', () => expect(parseRetrySchedule('0,30s,x')).toBeUndefined());
});
