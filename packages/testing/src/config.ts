import { randomBytes } from 'node:crypto';

/** Environment for booting the apps in a test: real services, a short retry schedule, local receivers allowed. */
export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    INBOX_INTERNAL_TOKEN: 'test-internal-token-0123456789',
    INBOX_SECRET_KEY: randomBytes(32).toString('base64'),
    INBOX_ALLOW_HTTP: 'true',
    INBOX_ALLOW_PRIVATE_URLS: 'true',
    INBOX_RETRY_SCHEDULE: '0,1s,1s,1s,1s,1s',
    INBOX_DELIVERY_TIMEOUT: '2s',
    INBOX_RECONCILE_INTERVAL: '1s',
    INBOX_RECONCILE_GRACE: '2s',
    PORT: '0',
    DISPATCHER_PORT: '0',
    METRICS_PORT: '0',
    ...overrides,
  };
}
