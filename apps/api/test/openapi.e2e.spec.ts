import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { OpenAPIObject, OperationObject, ParameterObject, ReferenceObject, ResponseObject } from '@nestjs/swagger';
import { EVENT_TYPES, exampleEvents } from '@inbox/events';
import { operationsOf } from '../src/openapi/conventions.js';
import { composeExample, hasExample, jsonBodiesOf } from '../src/openapi/examples.js';
import { OPENAPI_DOCUMENTS, type Audience } from '../src/openapi/openapi.js';
import { generateOpenApiDocuments, OPENAPI_FILES, serializeDocument } from '../src/openapi/preview.js';
import { eventSchemaName } from '../src/openapi/webhook-events.js';
import { createAccount, internalAuth, startApi, type Harness } from './support/harness.js';
import { routerRoutes } from './support/fuzz/routes.js';

const execFileAsync = promisify(execFile);
const apiDir = new URL('..', import.meta.url).pathname;
const AUDIENCES = ['public', 'internal'] as const;
/** Routes the router serves that belong to neither API: probes, the documents themselves and the dashboard. */
const OPERATIONAL = /^\/(health\/|docs|dashboard)/;
/** A name a generated client can use as a method: camelCase, a verb then a noun (`listWebhooks`). */
const OPERATION_ID = /^[a-z]+[A-Z][A-Za-z0-9]*$/;
const RATE_LIMIT_LIMIT = 5;

type Documents = Record<Audience, OpenAPIObject>;

/** `#/components/<kind>/<name>` → the component; anything else as it is. */
function resolve<T>(document: OpenAPIObject, item: T | ReferenceObject): T {
  if (item && typeof item === 'object' && '$ref' in item) {
    const [, , kind, name] = item.$ref.split('/');
    return (document.components as Record<string, Record<string, T>>)[kind!]![name!]!;
  }
  return item as T;
}

function operation(document: OpenAPIObject, method: string, path: string): OperationObject {
  const op = document.paths[path]?.[method.toLowerCase() as 'get'];
  if (!op) throw new Error(`${method} ${path} is not in the document`);
  return op;
}

/** The headers the document declares for an answer of `status` to the operation, lower-cased. */
function declaredHeaders(document: OpenAPIObject, op: OperationObject, status: number): string[] {
  const response = resolve<ResponseObject>(document, op.responses[String(status)]!);
  if (!response) throw new Error(`the document declares no ${status} answer for ${op.operationId}`);
  return Object.keys(response.headers ?? {}).map((name) => name.toLowerCase());
}

/** What changed between two versions of a document, by path, webhook and schema. */
function drift(before: OpenAPIObject, after: OpenAPIObject): string {
  const sections = { paths: (d: OpenAPIObject) => d.paths, webhooks: (d: OpenAPIObject) => d.webhooks ?? {}, schemas: (d: OpenAPIObject) => d.components?.schemas ?? {} };
  const changes = Object.entries(sections).flatMap(([section, of]) => {
    const [a, b] = [of(before) as Record<string, unknown>, of(after) as Record<string, unknown>];
    return [...new Set([...Object.keys(a), ...Object.keys(b)])]
      .filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]))
      .map((key) => `${section} ${key} ${!(key in a) ? 'added' : !(key in b) ? 'removed' : 'changed'}`);
  });
  return changes.length > 0 ? changes.join('; ') : 'other changes';
}

describe('OpenAPI documents', () => {
  let h: Harness;
  let generated: Documents;
  let served: Documents;

  beforeAll(async () => {
    h = await startApi('api_openapi', { INBOX_RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT_LIMIT) });
    // In memory, as `pnpm openapi` makes them: without a database (the module graph in preview
    // mode, pointed at closed ports).
    generated = JSON.parse(JSON.stringify(await generateOpenApiDocuments())) as Documents;
    served = {
      public: (await h.http().get('/docs-json').expect(200)).body,
      internal: (await h.http().get('/docs/internal-json').expect(200)).body,
    };
  });

  afterAll(async () => {
    await h?.close();
  });

  describe('generated, committed and served', () => {
    it('the app serves the same documents as `pnpm openapi` makes without a database', () => {
      expect(served).toEqual(generated);
    });

    it.each(AUDIENCES)('apps/api/%s document is up to date with the code (else: run pnpm openapi)', (audience) => {
      const file = OPENAPI_FILES[audience];
      const committed = readFileSync(file, 'utf8');
      if (committed !== serializeDocument(generated[audience])) {
        throw new Error(`${file.pathname} is stale (${drift(JSON.parse(committed) as OpenAPIObject, generated[audience])}). Run \`pnpm openapi\` and commit the result.`);
      }
    });

    // The built code (tsc, what `pnpm openapi` and production run) makes the same documents as the
    // code under test (swc): both compilers' decorator metadata documents the routes alike.
    it('`pnpm openapi` writes both files in one command, with no database or Redis, and exits', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'inbox-openapi-'));
      try {
        await execFileAsync(process.execPath, [join(apiDir, 'dist/openapi/write-documents.js'), dir], { timeout: 30_000 });
        for (const audience of AUDIENCES) {
          expect(readFileSync(join(dir, OPENAPI_DOCUMENTS[audience].file), 'utf8')).toBe(serializeDocument(generated[audience]));
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it.each(AUDIENCES)('the %s document passes `redocly lint` (redocly.yaml) with no error and no warning', async (audience) => {
      const dir = mkdtempSync(join(tmpdir(), 'inbox-redocly-'));
      try {
        const file = join(dir, OPENAPI_DOCUMENTS[audience].file);
        writeFileSync(file, serializeDocument(generated[audience]));
        const redocly = createRequire(import.meta.url).resolve('@redocly/cli/bin/cli.js');
        const run = execFileAsync(process.execPath, [redocly, 'lint', '--config', join(apiDir, 'redocly.yaml'), '--format=json', file], { timeout: 30_000 });
        // Problems make it exit 1 with the report on stdout all the same.
        const { stdout } = await run.catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
        const report = JSON.parse(stdout) as { totals: { errors: number; warnings: number }; problems: Array<{ ruleId: string; message: string; location: Array<{ pointer: string }> }> };
        expect(report.problems.map((p) => `${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`)).toEqual([]);
        expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 60_000);
  });

  describe('every route', () => {
    it('is in its document — /v1 in the customer one, /internal/v1 in the internal one — with an operationId a client can use as a method name, unique', () => {
      const router = routerRoutes(h.app.getHttpAdapter().getInstance().printRoutes({ commonPrefix: false }));
      const api = router.filter((r) => !OPERATIONAL.test(r.path));
      expect(api.map((r) => `${r.method} ${r.path}`)).toEqual(
        expect.arrayContaining(['POST /v1/webhooks', 'GET /v1/events/{id}', 'POST /internal/v1/accounts', 'POST /internal/v1/events/batch']),
      );
      const ids: string[] = [];
      for (const { method, path } of api) {
        const audience = AUDIENCES.find((a) => path.startsWith(OPENAPI_DOCUMENTS[a].prefix));
        if (!audience) throw new Error(`${method} ${path} is neither a /v1 nor an /internal/v1 route: give it a document in src/openapi/openapi.ts`);
        const { operationId } = operation(generated[audience], method, path);
        if (!operationId || !OPERATION_ID.test(operationId)) {
          throw new Error(`${method} ${path} has the operationId ${operationId}: give it @ApiOperation({ operationId: 'verbNoun', summary }) (e.g. listWebhooks)`);
        }
        ids.push(operationId);
      }
      for (const audience of AUDIENCES) ids.push(...operationsOf({ paths: generated[audience].webhooks ?? {} }).map(({ operation }) => operation.operationId!));
      expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
      // And nothing in the documents that the router does not serve.
      const documented = AUDIENCES.flatMap((a) => operationsOf(generated[a]).map(({ method, path }) => `${method.toUpperCase()} ${path}`));
      expect(documented.sort()).toEqual(api.map((r) => `${r.method} ${r.path}`).sort());
    });

    it('names the existing routes as their SDK methods would', () => {
      const ids = Object.fromEntries(AUDIENCES.flatMap((a) => operationsOf(generated[a]).map(({ method, path, operation: op }) => [`${method.toUpperCase()} ${path}`, op.operationId])));
      expect(ids).toMatchObject({
        'GET /v1/webhooks': 'listWebhooks',
        'POST /v1/webhooks': 'createWebhook',
        'GET /v1/webhooks/{id}': 'getWebhook',
        'PUT /v1/webhooks/{id}': 'updateWebhook',
        'DELETE /v1/webhooks/{id}': 'deleteWebhook',
        'GET /v1/webhooks/{id}/secret': 'getWebhookSecret',
        'POST /v1/webhooks/test': 'sendTestEvent',
        'GET /v1/webhooks/{id}/logs': 'listWebhookLogs',
        'GET /v1/events/{id}': 'getEvent',
        'POST /internal/v1/accounts': 'createAccount',
        'POST /internal/v1/accounts/{accountId}/keys': 'createApiKey',
        'DELETE /internal/v1/accounts/{accountId}/keys/{keyId}': 'revokeApiKey',
        'POST /internal/v1/events': 'ingestEvent',
        'POST /internal/v1/events/batch': 'ingestEvents',
      });
    });

    it('declares the Idempotency-Key header on every POST, and on nothing else', () => {
      for (const audience of AUDIENCES) {
        for (const { method, path, operation: op } of operationsOf(generated[audience])) {
          const headers = (op.parameters ?? []).map((p) => resolve<ParameterObject>(generated[audience], p)).filter((p) => p.in === 'header').map((p) => p.name);
          expect([`${method} ${path}`, headers.includes('Idempotency-Key')]).toEqual([`${method} ${path}`, method === 'post']);
        }
      }
    });

    it('declares Retry-After on every 429 and 503, and the rate-limit headers on /v1 answers', () => {
      for (const audience of AUDIENCES) {
        for (const { method, path, operation: op } of operationsOf(generated[audience])) {
          const where = `${method.toUpperCase()} ${path}`;
          expect([where, Object.keys(op.responses)]).toEqual([where, expect.arrayContaining(['503', ...(audience === 'public' ? ['429'] : [])])]);
          for (const status of ['429', '503'].filter((s) => op.responses[s])) {
            expect([where, status, declaredHeaders(generated[audience], op, Number(status))]).toEqual([where, status, expect.arrayContaining(['retry-after'])]);
          }
          for (const status of Object.keys(op.responses).filter((s) => s.startsWith('2'))) {
            const rateLimit = ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'];
            const declared = declaredHeaders(generated[audience], op, Number(status));
            expect([where, status, rateLimit.every((name) => declared.includes(name))]).toEqual([where, status, audience === 'public']);
          }
        }
      }
    });

    it('gives every JSON request body and 2xx answer an example', () => {
      for (const audience of AUDIENCES) {
        const schemas = generated[audience].components?.schemas ?? {};
        for (const { where, media } of jsonBodiesOf(generated[audience])) {
          if (!hasExample(media, schemas)) {
            const why = media.schema ? composeExample(media.schema, schemas) : { missing: '(no schema)' };
            throw new Error(`${where} has no example: its field ${'missing' in why ? why.missing : '?'} has none (add .meta({ example }) to the zod schema)`);
          }
        }
      }
    });
  });

  describe('headers the API really sends are the ones declared', () => {
    /** Which of the convention headers the answer carries. */
    const sent = (res: { headers: Record<string, unknown> }) =>
      Object.keys(res.headers).filter((name) => /^(x-ratelimit-|retry-after$|idempotent-replayed$|x-request-id$)/.test(name));

    it('on a /v1 answer, a 404 and the 429 past the limit', async () => {
      const account = await createAccount(h, 'Headers');
      const doc = generated.public;
      const list = await h.http().get('/v1/webhooks').set(account.auth).expect(200);
      expect(sent(list)).toEqual(expect.arrayContaining(['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']));
      expect(declaredHeaders(doc, operation(doc, 'GET', '/v1/webhooks'), 200)).toEqual(expect.arrayContaining(sent(list)));
      const missing = await h.http().get('/v1/webhooks/wh_01JD0Y6J6R8Z3Q4W5E6R7T8Y9U').set(account.auth).expect(404);
      expect(sent(missing).length).toBeGreaterThan(0);
      expect(declaredHeaders(doc, operation(doc, 'GET', '/v1/webhooks/{id}'), 404)).toEqual(expect.arrayContaining(sent(missing)));
      let limited;
      for (let i = 0; i < RATE_LIMIT_LIMIT && limited?.status !== 429; i++) limited = await h.http().get('/v1/webhooks').set(account.auth);
      expect(limited?.status).toBe(429);
      expect(sent(limited!)).toEqual(expect.arrayContaining(['retry-after', 'x-ratelimit-limit']));
      expect(declaredHeaders(doc, operation(doc, 'GET', '/v1/webhooks'), 429)).toEqual(expect.arrayContaining(sent(limited!)));
    });

    it('on a replayed POST (Idempotency-Key)', async () => {
      const doc = generated.internal;
      const send = () => h.http().post('/internal/v1/accounts').set(internalAuth).set('Idempotency-Key', 'openapi-replay-1').send({ name: 'Replayed' }).expect(201);
      await send();
      const replay = await send();
      expect(sent(replay).sort()).toEqual(['idempotent-replayed', 'x-request-id']);
      expect(declaredHeaders(doc, operation(doc, 'POST', '/internal/v1/accounts'), 201)).toEqual(expect.arrayContaining(sent(replay)));
    });
  });

  describe('the customer document', () => {
    it('holds the /v1 routes only, with the API key; the internal one the /internal/v1 routes, with the service token', () => {
      for (const [audience, prefix, scheme] of [['public', '/v1/', 'api_key'], ['internal', '/internal/v1/', 'internal_token']] as const) {
        const doc = generated[audience];
        expect(doc.openapi).toBe('3.1.0');
        expect(Object.keys(doc.paths).every((p) => p.startsWith(prefix))).toBe(true);
        expect(Object.keys(doc.components?.securitySchemes ?? {})).toEqual([scheme]);
        for (const { operation: op } of operationsOf(doc)) expect(op.security).toEqual([{ [scheme]: [] }]);
      }
    });

    it('has the payload of every event type in @inbox/events as a schema with the docs\' example, and a webhook entry with the signed headers', () => {
      const doc = generated.public;
      const schemas = doc.components!.schemas!;
      for (const type of EVENT_TYPES) {
        const name = eventSchemaName(type);
        expect(schemas[name]).toMatchObject({ type: 'object', properties: { type: { const: type } }, example: exampleEvents[type] });
        const hook = doc.webhooks![type]!.post!;
        expect(hook.requestBody).toEqual({ required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } } });
        const headers = (hook.parameters ?? []).map((p) => resolve<ParameterObject>(doc, p).name);
        expect(headers).toEqual(
          expect.arrayContaining(['webhook-id', 'webhook-timestamp', 'webhook-signature', 'x-inbox-signature', 'x-inbox-event-id', 'x-inbox-event-type', 'x-inbox-delivery-attempt']),
        );
      }
      expect(schemas.WebhookEvent).toMatchObject({ oneOf: EVENT_TYPES.map((t) => ({ $ref: `#/components/schemas/${eventSchemaName(t)}` })), discriminator: { propertyName: 'type' } });
      // An event as the API shows it (GET /v1/events/{id}) holds one of them.
      expect(schemas.EventDetail).toMatchObject({ properties: { payload: { $ref: '#/components/schemas/WebhookEvent' } } });
      expect(generated.internal.webhooks).toBeUndefined();
    });

    it("carries the docs' examples and the zod schemas' rules", () => {
      const doc = generated.public;
      const schemas = doc.components!.schemas!;
      expect(schemas.CreateWebhookRequest).toMatchObject({
        additionalProperties: false,
        properties: { url: { maxLength: 2048 } },
        example: { url: 'https://yourapp.com/webhooks/inbox', events: ['message.delivered', 'message.read', 'message.failed'], description: 'Production webhook endpoint' },
      });
      expect(schemas.TestWebhookRequest).toMatchObject({ example: { webhook_id: 'wh_1234567890', event_type: 'message.delivered' } });
      expect(generated.internal.components!.schemas!.IngestEventRequest).toMatchObject({ example: { type: 'message.delivered', data: exampleEvents['message.delivered'].data } });
      expect(schemas.Error).toMatchObject({ properties: { error: { required: ['code', 'message'] } } });
      const get = operation(doc, 'GET', '/v1/webhooks/{id}');
      expect(resolve<ResponseObject>(doc, get.responses['404']!).content!['application/json']!.schema).toEqual({ $ref: '#/components/schemas/Error' });
      const names = (method: string, path: string) => (operation(doc, method, path).parameters ?? []).map((p) => resolve<ParameterObject>(doc, p)).filter((p) => p.in === 'query').map((p) => p.name);
      expect(names('GET', '/v1/webhooks')).toEqual(['limit', 'cursor']);
      expect(names('GET', '/v1/webhooks/{id}/logs')).toEqual(expect.arrayContaining(['status', 'event_type', 'since', 'until', 'limit', 'cursor']));
    });
  });

  it.each([
    ['/docs', 'Inbox Webhooks API'],
    ['/docs/internal', 'Inbox Webhooks internal API'],
  ])('serves the UI at %s', async (path, title) => {
    const res = await h.http().get(path).redirects(1).expect(200);
    expect(res.text).toContain('swagger');
    const init = await h.http().get(`${path}/swagger-ui-init.js`).expect(200);
    expect(init.text).toContain(title);
  });
});
