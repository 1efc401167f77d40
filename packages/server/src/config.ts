import { z } from 'zod';
import { parseDuration, parseRetrySchedule } from './duration.js';

/** The docs' retry table: attempt 1 at once, then 30s, 2m, 8m, 32m, 2h after each failure. */
export const DEFAULT_RETRY_SCHEDULE = '0,30s,2m,8m,32m,2h';

/** One setting: the environment variable it is read from and the schema that parses it. */
interface Setting<S extends z.ZodType = z.ZodType> {
  variable: string;
  schema: S;
}
type Settings = Record<string, Setting>;

/** The config a group of settings yields: each key typed by its schema's output. */
type ConfigOf<S extends Settings> = { [K in keyof S]: z.output<S[K]['schema']> };

const variable = <S extends z.ZodType>(name: string, schema: S): Setting<S> => ({ variable: name, schema });

/** A duration (`500ms`, `10s`, `2m`, `1h`) in milliseconds. */
const duration = (name: string, defaultMs: number) =>
  variable(
    name,
    z
      .string()
      .transform((text, ctx) => {
        const ms = parseDuration(text);
        if (ms === undefined) {
          ctx.addIssue({
            code: 'custom',
            message: `${name} must be a duration like 500ms, 10s, 2m or 1h (got "${text}")`,
          });
          return z.NEVER;
        }
        return ms;
      })
      .default(defaultMs),
  );

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const SECRET_KEY_FORMAT = 'must be 32 random bytes in base64, as `openssl rand -base64 32` prints';
const isSecretKey = (v: string) => Buffer.from(v, 'base64').length === 32 && /^[A-Za-z0-9+/]+=*$/.test(v);

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();

/** A Redis server's address, as the cluster and Sentinel variables list them. */
export interface RedisAddress {
  host: string;
  port: number;
}

/** `host:port,host:port,…` (at least one) into addresses, naming the entry that is not one. */
const addressList = (name: string) =>
  z.string().transform((text, ctx) => {
    const entries = text.split(',').map((entry) => entry.trim()).filter(Boolean);
    const addresses: RedisAddress[] = [];
    for (const entry of entries) {
      const match = /^(\[[0-9a-fA-F:]+\]|[^:\s]+):(\d{1,5})$/.exec(entry);
      const portNumber = Number(match?.[2]);
      if (!match || portNumber < 1 || portNumber > 65535) {
        ctx.addIssue({ code: 'custom', message: `${name} must be comma-separated host:port pairs (got "${entry}")` });
        return z.NEVER;
      }
      addresses.push({ host: match[1]!.replace(/^\[(.*)\]$/, '$1'), port: portNumber });
    }
    return addresses;
  });

/**
 * Which Redis the apps use: one server (`REDIS_URL`), a Cluster or Sentinel. Problems the single
 * variables cannot show, named like theirs (in the same ConfigError).
 */
function redisModeProblems(env: Record<string, string>): string[] {
  const problems: string[] = [];
  const cluster = env.REDIS_CLUSTER_NODES !== undefined;
  const sentinel = env.REDIS_SENTINELS !== undefined;
  if (cluster && sentinel) problems.push('REDIS_CLUSTER_NODES and REDIS_SENTINELS are both set: use a Redis Cluster or Sentinel, not both');
  if ((cluster || sentinel) && env.REDIS_URL !== undefined) {
    problems.push(`REDIS_URL is for a single Redis server: leave it unset with ${cluster ? 'REDIS_CLUSTER_NODES' : 'REDIS_SENTINELS'} (REDIS_PASSWORD and REDIS_TLS apply to every mode)`);
  }
  if (sentinel && env.REDIS_SENTINEL_MASTER === undefined) problems.push('REDIS_SENTINEL_MASTER is required with REDIS_SENTINELS: the name of the master the sentinels monitor');
  if (!sentinel && env.REDIS_SENTINEL_MASTER !== undefined) problems.push('REDIS_SENTINEL_MASTER is set without REDIS_SENTINELS: list the sentinels as host:port pairs');
  if (!sentinel && env.REDIS_SENTINEL_PASSWORD !== undefined) {
    problems.push("REDIS_SENTINEL_PASSWORD is set without REDIS_SENTINELS: it is the sentinels' own password (the servers' is REDIS_PASSWORD)");
  }
  return problems;
}

/** INBOX_RETENTION: how long history is kept, from when an event was accepted. */
const retention = variable(
  'INBOX_RETENTION',
  duration('INBOX_RETENTION', 30 * 86_400_000).schema.refine((ms) => ms >= 1_000, 'INBOX_RETENTION must be at least 1s'),
);

/** What both apps read: logging, Postgres, Redis and the queue, the secret box's keys, shutdown. */
const sharedSettings = {
  env: variable('NODE_ENV', z.string().default('development')),
  logLevel: variable(
    'LOG_LEVEL',
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  databaseUrl: variable(
    'DATABASE_URL',
    z.url({ protocol: /^postgres(ql)?$/ }).default('postgres://postgres@127.0.0.1:5432/inbox'),
  ),
  databasePoolSize: variable('DATABASE_POOL_SIZE', positiveInt.default(10)),
  // Bounds on Postgres, so an outage is a quick 503 or a job that waits, never a hang (the values:
  // @inbox/db's APP_DATABASE_TIMEOUTS). A statement timeout of 0 leaves statements unbounded.
  databaseConnectTimeoutMs: variable(
    'DATABASE_CONNECT_TIMEOUT',
    duration('DATABASE_CONNECT_TIMEOUT', 2_000).schema.refine((ms) => ms > 0, 'DATABASE_CONNECT_TIMEOUT must be more than 0'),
  ),
  databaseStatementTimeoutMs: duration('DATABASE_STATEMENT_TIMEOUT', 5_000),
  // `pgbouncer`: Postgres is reached through a transaction-mode pooler, which rejects the timeouts
  // as startup parameters; they are not sent (set them on the role instead: infra/README.md).
  databasePooler: variable('DATABASE_POOLER', z.enum(['none', 'pgbouncer']).default('none')),
  redisUrl: variable('REDIS_URL', z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379/0')),
  // A Redis Cluster or Sentinel instead of REDIS_URL's one server (see redisModeProblems).
  redisClusterNodes: variable('REDIS_CLUSTER_NODES', addressList('REDIS_CLUSTER_NODES').optional()),
  redisSentinels: variable('REDIS_SENTINELS', addressList('REDIS_SENTINELS').optional()),
  redisSentinelMaster: variable('REDIS_SENTINEL_MASTER', z.string().optional()),
  redisPassword: variable('REDIS_PASSWORD', z.string().optional()),
  // The sentinels' own `requirepass`, when they have one (REDIS_PASSWORD is the Redis servers').
  redisSentinelPassword: variable('REDIS_SENTINEL_PASSWORD', z.string().optional()),
  redisTls: variable('REDIS_TLS', flag.default(false)),
  queuePrefix: variable('INBOX_QUEUE_PREFIX', z.string().min(1).default('{inbox}')),
  secretKey: variable(
    'INBOX_SECRET_KEY',
    z
      .string()
      .refine(isSecretKey, { message: `INBOX_SECRET_KEY ${SECRET_KEY_FORMAT}` })
      .transform((v) => Buffer.from(v, 'base64')),
  ),
  previousSecretKeys: variable(
    'INBOX_SECRET_KEYS_PREVIOUS',
    z
      .string()
      .transform((text, ctx) => {
        const keys = text.split(',').map((key) => key.trim()).filter(Boolean);
        const bad = keys.findIndex((key) => !isSecretKey(key));
        if (bad >= 0) {
          ctx.addIssue({ code: 'custom', message: `key ${bad + 1} of ${keys.length} ${SECRET_KEY_FORMAT} (comma-separated keys)` });
          return z.NEVER;
        }
        return keys.map((key) => Buffer.from(key, 'base64'));
      })
      .default([]),
  ),
  allowPrivateUrls: variable('INBOX_ALLOW_PRIVATE_URLS', flag.default(false)),
  // Endpoint host lookups: the API's URL check at registration, the dispatcher's before connecting.
  dnsTimeoutMs: duration('INBOX_DNS_TIMEOUT', 3_000),
  shutdownTimeoutMs: duration('INBOX_SHUTDOWN_TIMEOUT', 15_000),
  // GET /metrics, on its own listener (9464: the Prometheus exporter port OpenTelemetry uses).
  metricsPort: variable('METRICS_PORT', port.default(9464)),
};

/** The API's own: its port, the service token, the URL policy at registration, limits. */
const apiSettings = {
  ...sharedSettings,
  port: variable('PORT', port.default(3000)),
  // The operator routes (/internal/v1, their docs) on a listener of their own; unset, they share PORT's.
  internalPort: variable('INTERNAL_PORT', port.optional()),
  internalToken: variable(
    'INBOX_INTERNAL_TOKEN',
    z.string().min(16, 'INBOX_INTERNAL_TOKEN must be at least 16 characters'),
  ),
  allowHttp: variable('INBOX_ALLOW_HTTP', flag.default(false)),
  maxWebhooksPerAccount: variable('INBOX_MAX_WEBHOOKS_PER_ACCOUNT', positiveInt.default(100)),
  rateLimitPerMinute: variable('INBOX_RATE_LIMIT_PER_MINUTE', positiveInt.default(1200)),
  // POST /v1/webhooks/test, per account: a test event goes to any one webhook, subscribed or not.
  testEventsPerMinute: variable('INBOX_TEST_EVENTS_PER_MINUTE', positiveInt.default(10)),
  // The dashboard: where its build is (empty: apps/dashboard/dist beside the API in this repository),
  // and how long a sign-in lasts.
  dashboardDir: variable('INBOX_DASHBOARD_DIR', z.string().default('')),
  // How long events are kept: the recover route refuses older windows (the dispatcher removes them).
  retentionMs: retention,
  dashboardSessionTtlMs: variable(
    'INBOX_DASHBOARD_SESSION_TTL',
    duration('INBOX_DASHBOARD_SESSION_TTL', 12 * 3_600_000).schema.refine((ms) => ms >= 60_000, 'INBOX_DASHBOARD_SESSION_TTL must be at least 1m'),
  ),
};

/**
 * INTERNAL_PORT is a listener of its own: never PORT's or METRICS_PORT's (each with its default);
 * 0, any free port, clashes with none.
 */
function internalPortProblems(env: Record<string, string>): string[] {
  const internal = apiSettings.internalPort.schema.safeParse(env.INTERNAL_PORT).data;
  if (internal === undefined || internal === 0) return [];
  return [apiSettings.port, apiSettings.metricsPort]
    .filter((other) => other.schema.safeParse(env[other.variable]).data === internal)
    .map((other) => `INTERNAL_PORT and ${other.variable} are both ${internal}: the internal routes need a port of their own`);
}

/** The dispatcher's own: its health port, retries, timeouts, reconciliation, concurrency. */
const dispatcherSettings = {
  ...sharedSettings,
  dispatcherPort: variable('DISPATCHER_PORT', port.default(3001)),
  retrySchedule: variable(
    'INBOX_RETRY_SCHEDULE',
    z
      .string()
      .default(DEFAULT_RETRY_SCHEDULE)
      .transform((text, ctx) => {
        const schedule = parseRetrySchedule(text);
        if (!schedule) {
          ctx.addIssue({
            code: 'custom',
            message: `INBOX_RETRY_SCHEDULE must be comma-separated durations like ${DEFAULT_RETRY_SCHEDULE} (got "${text}")`,
          });
          return z.NEVER;
        }
        return schedule;
      }),
  ),
  deliveryTimeoutMs: duration('INBOX_DELIVERY_TIMEOUT', 10_000),
  reconcileIntervalMs: duration('INBOX_RECONCILE_INTERVAL', 30_000),
  reconcileGraceMs: duration('INBOX_RECONCILE_GRACE', 30_000),
  // A webhook whose attempts all failed this long (from the first failure after its last success)
  // is disabled; 0 never disables by time. A 410 Gone disables at once either way.
  autoDisableAfterMs: duration('INBOX_AUTO_DISABLE_AFTER', 5 * 86_400_000),
  dispatcherConcurrency: variable('INBOX_DISPATCHER_CONCURRENCY', positiveInt.default(200)),
  endpointConcurrency: variable('INBOX_ENDPOINT_CONCURRENCY', positiveInt.default(20)),
  // One account's requests in flight to one destination host, across every replica (see README).
  accountConcurrency: variable('INBOX_ACCOUNT_CONCURRENCY', positiveInt.default(100)),
  // Events (with their deliveries and attempts), soft-deleted webhooks and expired keys and sessions
  // older than this are removed, in batches, at least every min(retention / 4, 10m).
  retentionMs: retention,
};

/** `pnpm db:reseal`'s: Postgres and the keys, nothing an app alone needs. */
const resealSettings = {
  databaseUrl: sharedSettings.databaseUrl,
  secretKey: sharedSettings.secretKey,
  previousSecretKeys: sharedSettings.previousSecretKeys,
};

/** Settings both apps have (what the shared modules take). */
export type SharedConfig = ConfigOf<typeof sharedSettings>;
/** The API's validated settings; parsed once at start-up. */
export type ApiConfig = ConfigOf<typeof apiSettings>;
/** The dispatcher's validated settings; parsed once at start-up. */
export type DispatcherConfig = ConfigOf<typeof dispatcherSettings>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment into `settings`' config, naming every bad or missing variable in one error. */
function configLoader<S extends Settings>(settings: S, crossChecks: ((env: Record<string, string>) => string[])[] = []) {
  const schema = z.object(Object.fromEntries(Object.values(settings).map((s) => [s.variable, s.schema])));
  return (env: Record<string, string | undefined> = process.env): ConfigOf<S> => {
    // Empty strings mean "unset", as shells and k8s often pass them.
    const present = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
    const parsed = schema.safeParse(present);
    const problems = parsed.success
      ? []
      : parsed.error.issues.map((issue) => {
          const key = issue.path.join('.');
          const missing = present[key] === undefined;
          return missing ? `${key} is required: ${issue.message}` : `${key}: ${issue.message}`;
        });
    problems.push(...crossChecks.flatMap((check) => check(present)));
    if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
    const values = parsed.data;
    return Object.fromEntries(Object.entries(settings).map(([key, s]) => [key, values[s.variable]])) as ConfigOf<S>;
  };
}

const variablesOf = (settings: Settings): readonly string[] => Object.values(settings).map((s) => s.variable);

export const loadApiConfig = configLoader(apiSettings, [redisModeProblems, internalPortProblems]);
export const loadDispatcherConfig = configLoader(dispatcherSettings, [redisModeProblems]);
export const loadResealConfig = configLoader(resealSettings);

/** The environment variables each app reads (for checks on deployment manifests). */
export const API_CONFIG_VARIABLES = variablesOf(apiSettings);
export const DISPATCHER_CONFIG_VARIABLES = variablesOf(dispatcherSettings);
