import { z } from 'zod';
import { parseDuration, parseRetrySchedule } from './duration.js';

/** The docs' retry table: attempt 1 at once, then 30s, 2m, 8m, 32m, 2h after each failure. */
export const DEFAULT_RETRY_SCHEDULE = '0,30s,2m,8m,32m,2h';

const duration = (name: string) =>
  z.string().transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `${name} must be a duration like 500ms, 10s, 2m or 1h (got "${text}")` });
      return z.NEVER;
    }
    return ms;
  });

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();

const configSchema = z.object({
  NODE_ENV: z.string().default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).default('postgres://postgres@127.0.0.1:5432/inbox'),
  DATABASE_POOL_SIZE: positiveInt.default(10),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379/0'),
  PORT: port.default(3000),
  DISPATCHER_PORT: port.default(3001),
  INBOX_PUBLIC_URL: z.string().optional(),
  INBOX_INTERNAL_TOKEN: z.string().min(16, 'INBOX_INTERNAL_TOKEN must be at least 16 characters'),
  INBOX_SECRET_KEY: z.string().refine((v) => Buffer.from(v, 'base64').length === 32 && /^[A-Za-z0-9+/]+=*$/.test(v), {
    message: 'INBOX_SECRET_KEY must be 32 random bytes in base64, as `openssl rand -base64 32` prints',
  }),
  INBOX_RETRY_SCHEDULE: z
    .string()
    .default(DEFAULT_RETRY_SCHEDULE)
    .transform((text, ctx) => {
      const schedule = parseRetrySchedule(text);
      if (!schedule) {
        ctx.addIssue({ code: 'custom', message: `INBOX_RETRY_SCHEDULE must be comma-separated durations like ${DEFAULT_RETRY_SCHEDULE} (got "${text}")` });
        return z.NEVER;
      }
      return schedule;
    }),
  INBOX_DELIVERY_TIMEOUT: duration('INBOX_DELIVERY_TIMEOUT').default(10_000),
  INBOX_RECONCILE_INTERVAL: duration('INBOX_RECONCILE_INTERVAL').default(30_000),
  INBOX_RECONCILE_GRACE: duration('INBOX_RECONCILE_GRACE').default(30_000),
  INBOX_ALLOW_PRIVATE_URLS: flag.default(false),
  INBOX_ALLOW_HTTP: flag.default(false),
  INBOX_QUEUE_PREFIX: z.string().min(1).default('{inbox}'),
  INBOX_MAX_WEBHOOKS_PER_ACCOUNT: positiveInt.default(100),
  INBOX_RATE_LIMIT_PER_MINUTE: positiveInt.default(1200),
  INBOX_DISPATCHER_CONCURRENCY: positiveInt.default(200),
  INBOX_ENDPOINT_CONCURRENCY: positiveInt.default(20),
  INBOX_SHUTDOWN_TIMEOUT: duration('INBOX_SHUTDOWN_TIMEOUT').default(15_000),
});

type Env = z.infer<typeof configSchema>;

/** Validated settings shared by the API and the dispatcher; parsed once at start-up. */
export interface AppConfig {
  env: string;
  logLevel: Env['LOG_LEVEL'];
  databaseUrl: string;
  databasePoolSize: number;
  redisUrl: string;
  port: number;
  dispatcherPort: number;
  publicUrl: string | undefined;
  internalToken: string;
  secretKey: Buffer;
  retrySchedule: number[];
  deliveryTimeoutMs: number;
  reconcileIntervalMs: number;
  reconcileGraceMs: number;
  allowPrivateUrls: boolean;
  allowHttp: boolean;
  queuePrefix: string;
  maxWebhooksPerAccount: number;
  rateLimitPerMinute: number;
  dispatcherConcurrency: number;
  endpointConcurrency: number;
  shutdownTimeoutMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment, naming every bad or missing variable in one error. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  // Empty strings mean "unset", as shells and k8s often pass them.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const key = issue.path.join('.');
        const value = present[key];
        const missing = value === undefined;
        return missing ? `${key} is required: ${issue.message}` : `${key}: ${issue.message}`;
      }),
    );
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    redisUrl: e.REDIS_URL,
    port: e.PORT,
    dispatcherPort: e.DISPATCHER_PORT,
    publicUrl: e.INBOX_PUBLIC_URL,
    internalToken: e.INBOX_INTERNAL_TOKEN,
    secretKey: Buffer.from(e.INBOX_SECRET_KEY, 'base64'),
    retrySchedule: e.INBOX_RETRY_SCHEDULE,
    deliveryTimeoutMs: e.INBOX_DELIVERY_TIMEOUT,
    reconcileIntervalMs: e.INBOX_RECONCILE_INTERVAL,
    reconcileGraceMs: e.INBOX_RECONCILE_GRACE,
    allowPrivateUrls: e.INBOX_ALLOW_PRIVATE_URLS,
    allowHttp: e.INBOX_ALLOW_HTTP,
    queuePrefix: e.INBOX_QUEUE_PREFIX,
    maxWebhooksPerAccount: e.INBOX_MAX_WEBHOOKS_PER_ACCOUNT,
    rateLimitPerMinute: e.INBOX_RATE_LIMIT_PER_MINUTE,
    dispatcherConcurrency: e.INBOX_DISPATCHER_CONCURRENCY,
    endpointConcurrency: e.INBOX_ENDPOINT_CONCURRENCY,
    shutdownTimeoutMs: e.INBOX_SHUTDOWN_TIMEOUT,
  };
}
