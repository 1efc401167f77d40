import { Inbox } from './inbox.js';
import {
  AuthenticationError,
  ConflictError,
  InboxApiError,
  InboxConnectionError,
  InboxTimeoutError,
  NotFoundError,
  RateLimitError,
  ServerError,
  ValidationError,
} from './errors.js';
import { backoffMs, parseRetryAfter } from './retry.js';
import type { EventTypeList } from './types.js';

// Unit specs of the transport with a scripted fetch (the real API is driven in test/client.e2e.spec.ts).

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

type Script = (call: Call, index: number, signal: AbortSignal) => Response | Promise<Response>;

function scripted(script: Script) {
  const calls: Call[] = [];
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const call: Call = {
      url: String(input),
      method: init?.method ?? 'GET',
      headers: { ...(init?.headers as Record<string, string>) },
      body: init?.body as string | undefined,
    };
    calls.push(call);
    return script(call, calls.length - 1, init?.signal as AbortSignal);
  }) as typeof fetch;
  return { calls, fetchImpl };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const apiError = (
  status: number,
  code: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) => json(status, { error: { code, message: `${code} happened`, ...extra } }, headers);

const webhook = {
  id: 'wh_1',
  url: 'https://a.example/h',
  events: ['message.read'],
  description: null,
  status: 'enabled',
  created_at: 'x',
  updated_at: 'x',
};

function client(script: Script, options: ConstructorParameters<typeof Inbox>[1] = {}) {
  const { calls, fetchImpl } = scripted(script);
  const inbox = new Inbox('inbox_sk_test', { baseUrl: 'https://api.test/', fetch: fetchImpl, ...options });
  return { inbox, calls };
}

describe('Inbox client transport', () => {
  it('sends the key, JSON and an Idempotency-Key on POST; none on GET', async () => {
    const { inbox, calls } = client((call) =>
      call.method === 'POST' ? json(201, { ...webhook, secret: 'whsec_x' }) : json(200, webhook),
    );
    await inbox.webhooks.create({ url: 'https://a.example/h', events: ['message.read'] });
    await inbox.webhooks.get('wh_1');
    expect(calls[0]).toMatchObject({
      url: 'https://api.test/v1/webhooks',
      method: 'POST',
      body: JSON.stringify({ url: 'https://a.example/h', events: ['message.read'] }),
      headers: expect.objectContaining({ authorization: 'Bearer inbox_sk_test', 'content-type': 'application/json' }),
    });
    expect(calls[0]?.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(calls[1]?.headers['idempotency-key']).toBeUndefined();
    expect(calls[1]?.url).toBe('https://api.test/v1/webhooks/wh_1');
  });

  it('retries 5xx and network errors with the same Idempotency-Key, then succeeds', async () => {
    const { inbox, calls } = client((_call, i) => {
      if (i === 0) return apiError(503, 'unavailable');
      if (i === 1) throw new TypeError('fetch failed: ECONNRESET');
      return json(201, { ...webhook, secret: 'whsec_x' });
    });
    await expect(
      inbox.webhooks.create({ url: 'https://a.example/h', events: ['message.read'] }),
    ).resolves.toMatchObject({ id: 'wh_1' });
    expect(calls).toHaveLength(3);
    expect(new Set(calls.map((c) => c.headers['idempotency-key'])).size).toBe(1);
  });

  it('honours Retry-After on 429 (seconds), then succeeds', async () => {
    const { inbox, calls } = client((_call, i) =>
      i === 0 ? apiError(429, 'rate_limited', {}, { 'retry-after': '1' }) : json(200, webhook),
    );
    const started = Date.now();
    await inbox.webhooks.get('wh_1');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(calls).toHaveLength(2);
  });

  it('throws RateLimitError with retryAfterSeconds when retries are spent, or Retry-After is too long to wait', async () => {
    const limited = () => apiError(429, 'rate_limited', {}, { 'retry-after': '120' });
    const { inbox, calls } = client(limited);
    const error = await inbox.webhooks.get('wh_1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, code: 'rate_limited', retryAfterSeconds: 120 });
    expect(calls).toHaveLength(1); // 120 s is past maxRetryDelayMs: not waited for

    const once = client(() => apiError(429, 'rate_limited', {}, { 'retry-after': '0' }), { maxRetries: 1 });
    await expect(once.inbox.webhooks.get('wh_1')).rejects.toBeInstanceOf(RateLimitError);
    expect(once.calls).toHaveLength(2);
  });

  it('does not retry 4xx other than 429, and maps each status to its class', async () => {
    const cases: Array<[number, string, new (...args: never[]) => InboxApiError]> = [
      [401, 'unauthorized', AuthenticationError],
      [404, 'not_found', NotFoundError],
      [400, 'invalid_parameter', ValidationError],
      [422, 'validation_failed', ValidationError],
      [409, 'webhook_limit_reached', ConflictError],
      [403, 'forbidden', InboxApiError],
    ];
    for (const [status, code, type] of cases) {
      const details = [{ path: 'url', message: 'bad' }];
      const { inbox, calls } = client(() => apiError(status, code, { details }, { 'x-request-id': 'req_42' }));
      const error = await inbox.webhooks.get('wh_1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(type);
      expect(error).toMatchObject({ status, code, message: `${code} happened`, details, requestId: 'req_42' });
      expect(calls).toHaveLength(1);
    }
  });

  it("takes the request id from the error body's request_id when no header carries it", async () => {
    const { inbox } = client(() => apiError(404, 'not_found', { request_id: 'req_from_body' }));
    await expect(inbox.webhooks.get('wh_1')).rejects.toMatchObject({ status: 404, requestId: 'req_from_body' });
  });

  it('retries 409 idempotency_request_in_progress (its own earlier attempt is still running)', async () => {
    const { inbox, calls } = client((_c, i) =>
      i === 0 ? apiError(409, 'idempotency_request_in_progress') : json(201, { ...webhook, secret: 's' }),
    );
    await inbox.webhooks.create({ url: 'https://a.example/h', events: ['message.read'] });
    expect(calls).toHaveLength(2);
  });

  it('gives up on 5xx after maxRetries with a ServerError', async () => {
    const { inbox, calls } = client(
      () => new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
      { maxRetries: 1 },
    );
    const error = await inbox.webhooks.get('wh_1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 502, code: 'http_502' });
    expect((error as Error).message).toContain('bad gateway');
    expect(calls).toHaveLength(2);
  });

  it('times out each attempt with AbortSignal, retries, then throws InboxTimeoutError', async () => {
    const hang: Script = (_c, _i, signal) =>
      new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
    const { inbox, calls } = client(hang, { timeoutMs: 50, maxRetries: 1 });
    const error = await inbox.webhooks.get('wh_1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InboxTimeoutError);
    expect(error).toBeInstanceOf(InboxConnectionError);
    expect(calls).toHaveLength(2);
  });

  it('stops at once, without retrying, when the caller aborts', async () => {
    const controller = new AbortController();
    const { inbox, calls } = client((_c, _i, signal) => {
      setTimeout(() => controller.abort(new Error('user gave up')), 10);
      return new Promise((_resolve, reject) =>
        signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
      );
    });
    await expect(inbox.webhooks.get('wh_1', { signal: controller.signal })).rejects.toThrow('user gave up');
    expect(calls).toHaveLength(1);
  });

  it('paginates across next_cursor, and page() fetches one page', async () => {
    const pages: Record<string, unknown> = {
      '': { data: [webhook, { ...webhook, id: 'wh_2' }], next_cursor: 'c1' },
      c1: { data: [{ ...webhook, id: 'wh_3' }], next_cursor: null },
    };
    const { inbox, calls } = client((call) => json(200, pages[new URL(call.url).searchParams.get('cursor') ?? '']));
    const ids: string[] = [];
    for await (const wh of inbox.webhooks.list({ limit: 2 })) ids.push(wh.id);
    expect(ids).toEqual(['wh_1', 'wh_2', 'wh_3']);
    expect(calls.map((c) => c.url)).toEqual([
      'https://api.test/v1/webhooks?limit=2',
      'https://api.test/v1/webhooks?limit=2&cursor=c1',
    ]);
    await expect(inbox.webhooks.list({ limit: 2 }).page()).resolves.toMatchObject({ next_cursor: 'c1' });
  });

  it('sends log filters as query parameters (dates as ISO-8601)', async () => {
    const { inbox, calls } = client(() => json(200, { data: [], next_cursor: null }));
    await inbox.webhooks
      .logs('wh_1', {
        status: 'failed',
        event_type: 'message.read',
        since: new Date('2025-01-15T10:00:00Z'),
        limit: 10,
      })
      .page();
    const url = new URL(calls[0]?.url ?? '');
    expect(url.pathname).toBe('/v1/webhooks/wh_1/logs');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      status: 'failed',
      event_type: 'message.read',
      since: '2025-01-15T10:00:00.000Z',
      limit: '10',
    });
  });

  it('rotateSecret POSTs expire_in_seconds when given, an empty object otherwise', async () => {
    const rotated = { secret: 'whsec_new', previous_secret_expires_at: null };
    const { inbox, calls } = client(() => json(200, rotated));
    await expect(inbox.webhooks.rotateSecret('wh_1', { expireInSeconds: 0 })).resolves.toEqual(rotated);
    await inbox.webhooks.rotateSecret('wh_1');
    expect(calls.map((c) => [c.method, c.url, c.body])).toEqual([
      ['POST', 'https://api.test/v1/webhooks/wh_1/secret/rotate', '{"expire_in_seconds":0}'],
      ['POST', 'https://api.test/v1/webhooks/wh_1/secret/rotate', '{}'],
    ]);
    expect(calls[0]?.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('eventTypes.list GETs the catalog and answers its body as is', async () => {
    const catalog = { data: [{ type: 'webhook.disabled', description: 'd', schema: { type: 'object' }, example: { id: 'evt_1' } }] };
    const { inbox, calls } = client(() => json(200, catalog));
    const list: EventTypeList = await inbox.eventTypes.list();
    expect(list).toEqual(catalog);
    expect(calls.map((c) => [c.method, c.url, c.body])).toEqual([['GET', 'https://api.test/v1/event-types', undefined]]);
  });

  it('stats GETs the hourly stats, with hours when given', async () => {
    const { inbox, calls } = client(() => json(200, { since: 'x', bucket_seconds: 3600, totals: { attempts: 0, succeeded: 0 }, buckets: [] }));
    await inbox.webhooks.stats('wh_1');
    await inbox.webhooks.stats('wh_1', { hours: 48 });
    expect(calls.map((c) => c.url)).toEqual(['https://api.test/v1/webhooks/wh_1/stats', 'https://api.test/v1/webhooks/wh_1/stats?hours=48']);
  });

  it('escapes ids in paths and refuses an empty one', async () => {
    const { inbox, calls } = client(() => json(200, webhook));
    await inbox.webhooks.get('wh_../x');
    expect(calls[0]?.url).toBe('https://api.test/v1/webhooks/wh_..%2Fx');
    expect(() => inbox.webhooks.get('')).toThrow(/webhook id/);
  });

  it('needs an API key', () => {
    expect(() => new Inbox(undefined as unknown as string)).toThrow(/API key is required/);
    expect(() => new Inbox('k', { timeoutMs: -1 })).toThrow(RangeError);
  });
});

describe('retry helpers', () => {
  it('backoff grows exponentially with jitter between half and the whole ceiling, capped', () => {
    expect(backoffMs(0, { random: () => 0 })).toBe(250);
    expect(backoffMs(0, { random: () => 1 })).toBe(500);
    expect(backoffMs(2, { random: () => 0.5 })).toBe(1500);
    expect(backoffMs(20, { random: () => 1 })).toBe(8000);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('7')).toBe(7);
    expect(parseRetryAfter('Wed, 15 Jan 2025 10:25:20 GMT', Date.parse('2025-01-15T10:25:15Z'))).toBe(5);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
