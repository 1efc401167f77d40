import fc from 'fast-check';
import type { Response } from 'supertest';
import { EVENT_TYPES, exampleEvents, MESSAGE_EVENT_TYPES, type MessageEventType } from '@inbox/events';
import { errorBodySchema } from '../src/common/api-error-response.decorator.js';
import { createAccount, createWebhook, INTERNAL_TOKEN, internalAuth, startApi, type Harness } from './support/harness.js';
import { describeChange, fuzzRequests, oneFieldAtATime, send, validRequest, type Credentials, type FuzzRequest, type ValidRequest } from './support/fuzz/requests.js';
import { routerRoutes, routeSpecs, type RouteSpec } from './support/fuzz/routes.js';
import { rowCountOf, tableChecksummer, type TableChecksums } from './support/table-checksums.js';

/** Routes whose valid answer is a stream that stays open: not fuzzed here. */
const STREAMING_ROUTES = new Set(['GET /v1/listen']);

/**
 * Property-based fuzzing of every route the API serves (found in its router, described by its
 * OpenAPI document): valid requests with one field, parameter, header or credential made hostile,
 * and random ones. Whatever comes in, the answer is a 2xx, or a 4xx with the error body that
 * changed no row of any table. Never a 5xx.
 *
 * First a systematic sweep (every field, query and path parameter of every route, with one hostile
 * value of each kind), then random requests: by default a fixed seed and about 25 s of them (some
 * 30 s in all); `FUZZ_RUNS=N` sends N random requests instead (no time limit), `FUZZ_SEED=S` uses
 * another seed. On failure fast-check prints the seed, the path and the smallest failing request
 * it found.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20250115);
const RUNS = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : undefined;
/** The random part's share; the one-field-at-a-time sweep before it takes about 5 s more. */
const TIME_LIMIT_MS = 25_000;

/** What each fixture route needs: ids of rows made in beforeAll. */
interface Fixtures {
  accountId: string;
  /** The account events are ingested for. It has one webhook, so each event makes one delivery,
   * however many webhooks the fuzzer registers for its own account. */
  ingestAccountId: string;
  /** A second key of the account, revoked by the key route (the fuzzer's own key must stay valid). */
  spareKeyId: string;
  webhookId: string;
  /** Deleted by the delete route (and restored), so the other routes keep their webhook. */
  doomedWebhookId: string;
  eventId: string;
}

function ingestBody(type: MessageEventType, accountId: string) {
  const { created_at, data } = exampleEvents[type];
  return { account_id: accountId, type, data, created_at };
}

const WEBHOOK_BODY = { url: 'https://example.com/fuzz', events: [...EVENT_TYPES], description: 'Fuzzed webhook' };

/** A valid request of each route the fuzzer knows; the rest start from their OpenAPI examples. */
const FIXTURES: Record<string, (fx: Fixtures) => Partial<ValidRequest>> = {
  'POST /internal/v1/accounts': () => ({ bodies: [{ name: 'Fuzz Inc.' }] }),
  'POST /internal/v1/accounts/{accountId}/keys': (fx) => ({ params: { accountId: fx.accountId } }),
  'DELETE /internal/v1/accounts/{accountId}/keys/{keyId}': (fx) => ({ params: { accountId: fx.accountId, keyId: fx.spareKeyId } }),
  'POST /internal/v1/events': (fx) => ({ bodies: MESSAGE_EVENT_TYPES.map((type) => ingestBody(type, fx.ingestAccountId)) }),
  'POST /internal/v1/events/batch': (fx) => ({ bodies: [{ events: MESSAGE_EVENT_TYPES.map((type) => ingestBody(type, fx.ingestAccountId)) }] }),
  'POST /v1/webhooks': () => ({ bodies: [WEBHOOK_BODY] }),
  'GET /v1/webhooks': () => ({ query: [['limit', '10']] }),
  'POST /v1/webhooks/test': (fx) => ({ bodies: [{ webhook_id: fx.webhookId, event_type: 'message.action' }] }),
  'GET /v1/webhooks/{id}': (fx) => ({ params: { id: fx.webhookId } }),
  'PUT /v1/webhooks/{id}': (fx) => ({ params: { id: fx.webhookId }, bodies: [{ ...WEBHOOK_BODY, status: 'enabled' }] }),
  'DELETE /v1/webhooks/{id}': (fx) => ({ params: { id: fx.doomedWebhookId } }),
  'GET /v1/webhooks/{id}/secret': (fx) => ({ params: { id: fx.webhookId } }),
  'POST /v1/webhooks/{id}/secret/rotate': (fx) => ({ params: { id: fx.webhookId }, bodies: [{ expire_in_seconds: 60 }] }),
  'POST /v1/webhooks/{id}/resend': (fx) => ({ params: { id: fx.webhookId }, bodies: [{ event_id: fx.eventId }] }),
  'POST /v1/webhooks/{id}/recover': (fx) => ({ params: { id: fx.webhookId }, bodies: [{ since: new Date(Date.now() - 3_600_000).toISOString() }] }),
  'GET /v1/webhooks/{id}/logs': (fx) => ({
    params: { id: fx.webhookId },
    query: [
      ['limit', '10'],
      ['status', 'pending'],
      ['event_type', 'message.read'],
      ['since', '2025-01-01T00:00:00Z'],
      ['until', '2099-01-01T00:00:00+02:00'],
    ],
  }),
  'GET /v1/events/{id}': (fx) => ({ params: { id: fx.eventId } }),
  'GET /v1/webhooks/{id}/stats': (fx) => ({ params: { id: fx.webhookId }, query: [['hours', '24']] }),
  'GET /docs{wildcard}': () => ({ params: { wildcard: '/swagger-ui.css' } }),
};

function validRequestOf(route: RouteSpec, fx: Fixtures): ValidRequest {
  const fixture = FIXTURES[`${route.method} ${route.path}`]?.(fx) ?? {};
  return {
    route,
    params: fixture.params ?? Object.fromEntries(route.pathParams.map((name) => [name, 'x'])),
    query: fixture.query ?? [],
    bodies: fixture.bodies ?? (route.hasBody && route.bodyExample !== undefined ? [route.bodyExample] : []),
  };
}

/** A POST carrying a well-formed Idempotency-Key: its 4xx answer may be stored, to be replayed. */
function storesItsAnswer(r: FuzzRequest): boolean {
  return r.method === 'POST' && r.headers.some(([name, value]) => name === 'Idempotency-Key' && typeof value === 'string' && /^[\x21-\x7e]{1,255}$/.test(value.trim()));
}

function problem(r: FuzzRequest, res: Response, what: string): Error {
  const url = `${r.path}${r.query ? `?${r.query}` : ''}`.slice(0, 300);
  return new Error(`${r.method} ${url} (from ${r.route}; changed: ${describeChange(r)}): ${what}; answered ${res.status} ${res.text?.slice(0, 500)}`);
}

/** A 4xx: the error body, nothing else, and no row changed (bar the stored answer of an idempotent POST). */
function checkRefusal(r: FuzzRequest, res: Response, before: TableChecksums, after: TableChecksums): void {
  if (!errorBodySchema.safeParse(res.body).success || Object.keys(res.body as object).join() !== 'error') {
    throw problem(r, res, 'a 4xx without the {"error": {code, message, details?}} body');
  }
  for (const table of Object.keys(before)) {
    if (table === 'idempotency_keys' && storesItsAnswer(r)) {
      if (rowCountOf(after[table]) - rowCountOf(before[table]) > 1) throw problem(r, res, 'a 4xx stored more than its idempotent answer');
    } else if (after[table] !== before[table]) {
      throw problem(r, res, `a 4xx changed table ${table}`);
    }
  }
}

describe('fuzzing every route: 2xx, or a 4xx with the error body that changed nothing; never a 5xx', () => {
  let h: Harness;
  let credentials: Credentials;
  let fixtures: Fixtures;
  let valid: ValidRequest[];
  let checksums: () => Promise<TableChecksums>;
  /** The tables as they are, when known: after a refusal they are as they were, so the next request needs no checksum beforehand. */
  let current: TableChecksums | undefined;
  const answered = { '2xx': 0, '4xx': 0 };

  /**
   * A successful request may delete or disable the fixtures' webhooks, or resend the fixture event:
   * back as they were (the event's deliveries ended), so later requests still start from valid ones.
   */
  async function restoreFixtures(): Promise<void> {
    await h.sql.query(`UPDATE webhooks SET deleted_at = NULL, status = 'enabled' WHERE id = ANY($1) AND (deleted_at IS NOT NULL OR status <> 'enabled')`, [
      [fixtures.webhookId, fixtures.doomedWebhookId],
    ]);
    await h.sql.query(`UPDATE deliveries SET status = 'failed' WHERE event_id = $1 AND status = 'pending'`, [fixtures.eventId]);
  }

  /** Sends one request and holds the answer to the contract; throws, naming the request, when it is broken. */
  async function exercise(r: FuzzRequest): Promise<void> {
    const before = current ?? (await checksums());
    current = undefined;
    const res = await send(h, r, credentials);
    if (res.status >= 200 && res.status < 300) {
      answered['2xx']++;
      await restoreFixtures();
    } else if (res.status >= 400 && res.status < 500) {
      answered['4xx']++;
      const after = await checksums();
      checkRefusal(r, res, before, after);
      current = after;
    } else {
      throw problem(r, res, 'neither a 2xx nor a 4xx');
    }
  }

  beforeAll(async () => {
    // Rate limit and webhook cap on (a 429 or a 409 is a 4xx like any other), but far above what the
    // fuzzer reaches, so they do not hide the validation behind them.
    h = await startApi('api_fuzz', { INBOX_RATE_LIMIT_PER_MINUTE: '1000000', INBOX_MAX_WEBHOOKS_PER_ACCOUNT: '1000000' });
    const account = await createAccount(h, 'Fuzz');
    const ingestAccount = await createAccount(h, 'Fuzz events');
    await createWebhook(h, ingestAccount, WEBHOOK_BODY);
    const spare = await h.http().post(`/internal/v1/accounts/${account.id}/keys`).set(internalAuth).expect(201);
    const webhook = await createWebhook(h, account, WEBHOOK_BODY);
    const doomed = await createWebhook(h, account, WEBHOOK_BODY);
    const event = await h.http().post('/internal/v1/events').set(internalAuth).send(ingestBody('message.read', account.id)).expect(202);
    fixtures = { accountId: account.id, ingestAccountId: ingestAccount.id, spareKeyId: spare.body.id, webhookId: webhook.id, doomedWebhookId: doomed.id, eventId: event.body.id };
    credentials = { customer: account.apiKey, internal: INTERNAL_TOKEN };
    await restoreFixtures();

    // The customer and the internal documents, as one.
    const [customer, internal] = await Promise.all(['/docs-json', '/docs/internal-json'].map(async (url) => (await h.http().get(url).expect(200)).body));
    const doc = { paths: { ...customer.paths, ...internal.paths }, components: { schemas: { ...internal.components.schemas, ...customer.components.schemas } } };
    const router = routerRoutes(h.app.getHttpAdapter().getInstance().printRoutes({ commonPrefix: false }));
    // The listen stream answers a valid request with a response that never ends (an SSE stream
    // held until the client goes): its refusals are tested in listen.e2e.spec.ts instead.
    valid = routeSpecs(router, doc)
      .filter((route) => !STREAMING_ROUTES.has(`${route.method} ${route.path}`))
      .map((route) => validRequestOf(route, fixtures));
    checksums = await tableChecksummer(h.sql);
  });

  afterAll(async () => {
    await h?.close();
  });

  it('finds every route in the router, and every /v1 and /internal/v1 route in the OpenAPI document with its credentials', () => {
    const routes = valid.map((v) => `${v.route.method} ${v.route.path}`);
    expect(routes).toEqual(expect.arrayContaining([...Object.keys(FIXTURES), 'GET /health/live', 'GET /docs-json']));
    for (const v of valid) {
      const expected = v.route.path.startsWith('/v1/') ? 'customer' : v.route.path.startsWith('/internal/v1/') ? 'internal' : 'anyone';
      expect([`${v.route.method} ${v.route.path}`, v.route.caller]).toEqual([`${v.route.method} ${v.route.path}`, expected]);
    }
  });

  it('answers the valid request of each fixture route with a 2xx (mutations start from a request that works)', async () => {
    for (const v of valid.filter((v) => FIXTURES[`${v.route.method} ${v.route.path}`])) {
      for (const [index] of (v.bodies.length > 0 ? v.bodies : [undefined]).entries()) {
        const r = validRequest(v, index);
        const res = await send(h, r, credentials);
        if (res.status < 200 || res.status >= 300) throw problem(r, res, 'the valid request failed');
        await restoreFixtures();
      }
    }
  });

  it('the table checksums notice one changed value in one row (the oracle refusals are held to)', async () => {
    const before = await checksums();
    await h.sql.query(`UPDATE webhooks SET description = description || 'x' WHERE id = $1`, [fixtures.webhookId]);
    const changed = await checksums();
    await h.sql.query(`UPDATE webhooks SET description = left(description, -1) WHERE id = $1`, [fixtures.webhookId]);
    expect(changed.webhooks).not.toEqual(before.webhooks);
    expect(rowCountOf(changed.webhooks)).toBe(rowCountOf(before.webhooks));
    expect(await checksums()).toEqual(before);
  });

  it('one field at a time: every body field, query parameter and path parameter of every route, with each kind of hostile value', async () => {
    const requests = valid.flatMap(oneFieldAtATime);
    expect(requests.length).toBeGreaterThan(500);
    for (const r of requests) await exercise(r);
  }, 120_000);

  it(
    `random and mutated requests: ${RUNS ? `${RUNS} of them` : `${TIME_LIMIT_MS / 1000} s of them`} (seed ${SEED})`,
    async () => {
      const byRoute = new Map<string, number>();
      const before = { ...answered };
      const property = fc.asyncProperty(fuzzRequests(valid), async (r) => {
        byRoute.set(r.route, (byRoute.get(r.route) ?? 0) + 1);
        await exercise(r);
      });
      await fc.assert(property, {
        seed: SEED,
        numRuns: RUNS ?? Number.MAX_SAFE_INTEGER,
        ...(RUNS ? {} : { interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false }),
      });
      // The fuzzer really ran: every route was hit, and both successes and refusals happened.
      expect([...byRoute.keys()].sort()).toEqual(valid.map((v) => `${v.route.method} ${v.route.path}`).sort());
      expect(answered['2xx']).toBeGreaterThan(before['2xx']);
      expect(answered['4xx']).toBeGreaterThan(before['4xx']);
    },
    RUNS ? 60_000 + RUNS * 1_000 : TIME_LIMIT_MS * 4,
  );
});
