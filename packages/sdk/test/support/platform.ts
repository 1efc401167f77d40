import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { loadApiConfig, loadDispatcherConfig, type ApiConfig, type DispatcherConfig } from '@inbox/server';
import { createTestDatabase, createTestRedisPrefix, testEnv } from '@inbox/testing';

type Factory<Config> = (config: Config) => Promise<INestApplication>;

/** An app's factory from its build, or `undefined` when the app is not built (its spec is then skipped). */
async function factory<Config>(specifier: string, name: string): Promise<Factory<Config> | undefined> {
  try {
    const module = (await import(specifier)) as Record<string, Factory<Config>>;
    return module[name];
  } catch (error) {
    console.warn(`${specifier} is not available (${(error as Error).message}); build the app to run these specs`);
    return undefined;
  }
}

export const createApiApp = await factory<ApiConfig>('@inbox/api/dist/bootstrap.js', 'createApiApp');
export const createDispatcherApp = await factory<DispatcherConfig>(
  '@inbox/dispatcher/dist/bootstrap.js',
  'createDispatcherApp',
);

export interface Platform {
  /** The API's config. */
  config: ApiConfig;
  /** The API's base URL, e.g. `http://127.0.0.1:41234`. */
  baseUrl: string;
  /** A second API process on the same database with its own settings (e.g. a low rate limit). */
  startApi(env: Record<string, string>): Promise<string>;
  createAccount(name?: string): Promise<{ id: string; apiKey: string }>;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 and a free port; returns the base URL. */
async function listen(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/**
 * The real platform on this file's own database and Redis prefix: the API listening on a free port,
 * and the dispatcher's workers when asked (`testEnv`: short retries, local receivers allowed).
 */
export async function startPlatform(
  label: string,
  options: { dispatcher?: boolean; env?: Record<string, string> } = {},
): Promise<Platform> {
  if (!createApiApp || (options.dispatcher && !createDispatcherApp)) throw new Error('the apps are not built');
  const db = await createTestDatabase(label);
  const redis = createTestRedisPrefix(label);
  const env = testEnv({ DATABASE_URL: db.url, REDIS_URL: redis.url, INBOX_QUEUE_PREFIX: redis.prefix, ...options.env });
  const config = loadApiConfig(env);
  const apps: INestApplication[] = [];
  const close = async () => {
    for (const app of apps.reverse()) await app.close();
    await redis.cleanup();
    await db.drop();
  };
  try {
    const api = await createApiApp(config);
    apps.push(api);
    const baseUrl = await listen(api);
    if (options.dispatcher && createDispatcherApp) {
      const dispatcher = await createDispatcherApp(loadDispatcherConfig(env));
      apps.push(dispatcher);
      await dispatcher.init();
    }
    return {
      config,
      baseUrl,
      async startApi(overrides) {
        const other = await createApiApp(loadApiConfig({ ...env, ...overrides }));
        apps.push(other);
        return listen(other);
      },
      async createAccount(name = 'Acme') {
        const res = await fetch(`${baseUrl}/internal/v1/accounts`, {
          method: 'POST',
          headers: { authorization: `Bearer ${config.internalToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name }),
        });
        if (res.status !== 201) throw new Error(`creating an account: ${res.status} ${await res.text()}`);
        const body = (await res.json()) as { id: string; api_key: string };
        return { id: body.id, apiKey: body.api_key };
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Polls `check` every 100 ms until it returns a value other than `undefined`; fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 15_000,
  what = 'the condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
