import { STATUS_CODES } from 'node:http';
import type { HeaderObject, OpenAPIObject, OperationObject, ParameterObject, ReferenceObject } from '@nestjs/swagger';

// What every route of a kind shares, written once here rather than on each route, so a route added
// to a controller is documented like its neighbours without a decorator of its own: the
// Idempotency-Key parameter on every POST (the IdempotencyInterceptor is global), the rate-limit
// headers on /v1 answers (RateLimitGuard sets them), Retry-After on 429 and 503, X-Request-Id on every
// answer (bootstrap.ts sets it).

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

type Method = (typeof HTTP_METHODS)[number];

/** Every operation of the document's paths, with its path and method. */
export function operationsOf(document: Pick<OpenAPIObject, 'paths'>): Array<{ path: string; method: Method; operation: OperationObject }> {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    HTTP_METHODS.flatMap((method) => (item[method] ? [{ path, method, operation: item[method] }] : [])),
  );
}

const ref = (kind: 'parameters' | 'headers', name: string): ReferenceObject => ({ $ref: `#/components/${kind}/${name}` });

const idempotencyKey: ParameterObject = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes the POST safe to retry: a repeat with the same key within 24 h gets the first answer (status and body, with `Idempotent-Replayed: true`) and changes nothing. ' +
    'The same key with a different request is a 422 `idempotency_key_reused`; while the first request still runs, a 409 `idempotency_request_in_progress`. ' +
    'Keys are scoped to the account (internal services share one scope). 1 to 255 visible ASCII characters, else a 400 `invalid_idempotency_key`.',
  schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
  example: '5f0c6a4e-8b1d-4f7a-9a57-2f1d0c3b9e21',
};

const wholeNumber = { type: 'integer', minimum: 0 } as const;

export const CONVENTION_HEADERS: Record<string, HeaderObject> = {
  RateLimitLimit: {
    description: "Requests the API key may make per minute. Absent while the rate limiter's store is unreachable (requests are then not limited).",
    schema: wholeNumber,
    example: 1200,
  },
  RateLimitRemaining: { description: 'Requests left in the current minute.', schema: wholeNumber, example: 1187 },
  RateLimitReset: { description: 'Seconds until the current minute ends and the budget is full again.', schema: wholeNumber, example: 42 },
  RetryAfter: { description: 'Seconds to wait before trying again.', schema: wholeNumber, example: 2 },
  RequestId: {
    description:
      "The request's id, on every answer: the request's own `X-Request-Id` when it is 1 to 128 of `[A-Za-z0-9._:-]`, else a generated one. Error bodies repeat it as `error.request_id`; quote it to support.",
    schema: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._:-]+$' },
    example: '9b2d6c1e-4f0a-4d8e-b1a3-6c5e2f7d8a90',
  },
  IdempotentReplayed: {
    description: '`true` when this is the stored answer to an earlier request with the same `Idempotency-Key`.',
    schema: { type: 'string', enum: ['true'] },
    example: 'true',
  },
};

const RATE_LIMIT_HEADERS = {
  'X-RateLimit-Limit': ref('headers', 'RateLimitLimit'),
  'X-RateLimit-Remaining': ref('headers', 'RateLimitRemaining'),
  'X-RateLimit-Reset': ref('headers', 'RateLimitReset'),
};

export interface Conventions {
  /** Whether the routes are rate limited per API key (the customer API). */
  rateLimited: boolean;
}

/** Answers given before RateLimitGuard counts the request: a body over the limit, a bad key, no database. */
const BEFORE_RATE_LIMIT = new Set(['401', '413', '503']);
/** Answers the IdempotencyInterceptor never replays: given before it runs (401, 413, 429) or never stored (409, 5xx). */
const NOT_REPLAYED = new Set(['401', '409', '413', '429']);

/** Which headers an answer of `status` to this operation carries, by the conventions above. */
function headersFor(method: Method, status: string, { rateLimited }: Conventions): Record<string, ReferenceObject> {
  const headers: Record<string, ReferenceObject> = { 'X-Request-Id': ref('headers', 'RequestId') };
  if (rateLimited && !BEFORE_RATE_LIMIT.has(status)) Object.assign(headers, RATE_LIMIT_HEADERS);
  if (status === '429' || status === '503') headers['Retry-After'] = ref('headers', 'RetryAfter');
  if (method === 'post' && /^[234]/.test(status) && !NOT_REPLAYED.has(status)) headers['Idempotent-Replayed'] = ref('headers', 'IdempotentReplayed');
  return headers;
}

const PARAMETER_ORDER = ['path', 'query', 'header', 'cookie'];

/**
 * Path parameters first, in the path's order, then query, header and cookie ones, each as declared.
 * (Where Nest puts a path parameter depends on how the compiler reflected its type.)
 */
function sortParameters(path: string, parameters: Array<ParameterObject | ReferenceObject>): Array<ParameterObject | ReferenceObject> {
  const rank = (p: ParameterObject | ReferenceObject, index: number) =>
    '$ref' in p ? [PARAMETER_ORDER.length, index] : [PARAMETER_ORDER.indexOf(p.in), p.in === 'path' ? path.indexOf(`{${p.name}}`) : index];
  const ranked = parameters.map((p, i) => ({ p, r: rank(p, i) }));
  return ranked.sort((a, b) => a.r[0]! - b.r[0]! || a.r[1]! - b.r[1]!).map(({ p }) => p);
}

/** Adds the shared parameters and headers to every operation of `document`, in place. */
export function applyConventions(document: OpenAPIObject, conventions: Conventions): void {
  const components = (document.components ??= {});
  components.parameters = { ...components.parameters, IdempotencyKey: idempotencyKey };
  components.headers = { ...components.headers, ...CONVENTION_HEADERS };
  for (const { path, method, operation } of operationsOf(document)) {
    operation.parameters = sortParameters(path, operation.parameters ?? []);
    if (method === 'post') operation.parameters.push(ref('parameters', 'IdempotencyKey'));
    for (const [status, response] of Object.entries(operation.responses)) {
      if (!response || '$ref' in response) continue;
      const headers = headersFor(method, status, conventions);
      // A copy: Nest shares one response object among the routes a class-level decorator documents.
      operation.responses[status] = {
        ...response,
        // `@ApiOkResponse()` and its kind leave it empty.
        description: response.description || (STATUS_CODES[status] ?? status),
        headers: { ...response.headers, ...headers },
      };
    }
  }
}

/** Every `#/components/…` reference inside `value`. */
function refsIn(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) refsIn(item, found);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string' && child.startsWith('#/components/')) found.add(child);
      else refsIn(child, found);
    }
  }
}

/**
 * Drops the components nothing in the document refers to (after splitting one generated document
 * in two, each half keeps only its own schemas), and the security schemes no operation uses.
 */
export function pruneComponents(document: OpenAPIObject): void {
  const components = document.components ?? {};
  const used = new Set<string>();
  refsIn({ paths: document.paths, webhooks: document.webhooks }, used);
  // Follow references inside the referenced components until nothing new turns up.
  for (let size = -1; size !== used.size; ) {
    size = used.size;
    for (const pointer of [...used]) {
      const [, , kind, name] = pointer.split('/');
      refsIn((components as Record<string, Record<string, unknown> | undefined>)[kind!]?.[name!], used);
    }
  }
  for (const kind of ['schemas', 'parameters', 'headers', 'responses', 'requestBodies', 'examples'] as const) {
    const map = components[kind];
    if (!map) continue;
    for (const name of Object.keys(map)) if (!used.has(`#/components/${kind}/${name}`)) delete map[name];
    if (Object.keys(map).length === 0) delete components[kind];
  }
  const schemes = new Set(operationsOf(document).flatMap(({ operation }) => (operation.security ?? []).flatMap((s) => Object.keys(s))));
  for (const name of Object.keys(components.securitySchemes ?? {})) if (!schemes.has(name)) delete components.securitySchemes![name];
}
