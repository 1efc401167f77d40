import { fileURLToPath } from 'node:url';
import { createTestDatabase, createTestRedisPrefix, kill, runApps, startReceiver, testEnv, type Receiver, type RunningProcess } from '@inbox/testing';

const API_MAIN = fileURLToPath(new URL('../../../api/dist/main.js', import.meta.url));
const DISPATCHER_MAIN = fileURLToPath(new URL('../../../dispatcher/dist/main.js', import.meta.url));

/** The whole platform as a customer meets it: the built API (serving the built dashboard), the dispatcher, a receiver. */
export interface Platform {
  url: string;
  receiver: Receiver;
  /** A new account's API key. */
  apiKey: string;
  /** `/v1` with the API key, as a script would call it (to check what the dashboard did). */
  v1<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

export async function startPlatform(label: string): Promise<Platform> {
  const db = await createTestDatabase(label);
  const redis = createTestRedisPrefix(label);
  const env = testEnv({ DATABASE_URL: db.url, REDIS_URL: redis.url, INBOX_QUEUE_PREFIX: redis.prefix });
  const receiver = await startReceiver();
  let api: RunningProcess | undefined;
  let dispatcher: RunningProcess | undefined;
  const close = async () => {
    await kill(dispatcher);
    await kill(api);
    await receiver.close();
    await redis.cleanup();
    await db.drop();
  };
  try {
    [api, dispatcher] = (await runApps([API_MAIN, DISPATCHER_MAIN], env)) as [RunningProcess, RunningProcess];
    const url = api.url.replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');
    const call = async <T>(method: string, path: string, token: string, body?: unknown) => {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
    };
    const account = await call<{ api_key: string }>('POST', '/internal/v1/accounts', env.INBOX_INTERNAL_TOKEN!, { name: 'Acme Messaging' });
    if (account.status !== 201) throw new Error(`POST /internal/v1/accounts answered ${account.status}`);
    const apiKey = account.body.api_key;
    return { url, receiver, apiKey, v1: (method, path, body) => call(method, path, apiKey, body), close };
  } catch (error) {
    await close();
    throw error;
  }
}
