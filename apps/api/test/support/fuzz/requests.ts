import fc from 'fast-check';
import type { Response } from 'supertest';
import type { Harness } from '../harness.js';
import { HOSTILE_SAMPLES, HOSTILE_TEXT_SAMPLES, hostileJson, hostileText, hostileValue, SPECIAL_KEYS, type Hostile } from './hostile.js';
import type { Caller, RouteSpec } from './routes.js';

type Path = Array<string | number>;

/** A request that the API must answer 2xx, for one route: the start of every mutation. */
export interface ValidRequest {
  route: RouteSpec;
  params: Record<string, string>;
  query: Array<[string, string]>;
  /** Valid bodies (the fuzzer starts from one of them); empty when the route takes none. */
  bodies: unknown[];
}

/** One field of a valid body changed: replaced by a hostile value, deleted, or joined by a hostile key. */
export type BodyMutation =
  | { op: 'replace'; path: Path; value: Hostile }
  | { op: 'delete'; path: Path }
  | { op: 'add'; path: Path; key: string; value: Hostile };

/** A header value; a long one as its recipe. */
type HeaderValue = string | { unit: string; times: number };

/** Who the request says it is. */
type Auth = { kind: 'valid' } | { kind: 'none' } | { kind: 'as'; caller: Caller } | { kind: 'header'; value: string };

/** What the fuzzer sends, small enough to print as a counterexample. */
export interface FuzzRequest {
  /** The route it started from, e.g. `PUT /v1/webhooks/{id}`. */
  route: string;
  /** Who the route expects; `auth` says who the request claims to be. */
  caller: Caller;
  method: string;
  /** Encoded and ready to send. */
  path: string;
  /** Raw, without `?`. */
  query: string;
  auth: Auth;
  headers: Array<[string, HeaderValue]>;
  body?: { contentType: string } & ({ base: unknown; mutation?: BodyMutation } | { whole: Hostile });
}

// ---------------------------------------------------------------------------------------------
// Turning a request into bytes
// ---------------------------------------------------------------------------------------------

const PLACEHOLDER = '\u0001fuzz-value\u0001';
const PLACEHOLDER_KEY = '\u0001fuzz-key\u0001';

function parentAndKey(root: unknown, path: Path): [Record<string | number, unknown>, string | number] {
  let node = root as Record<string | number, unknown>;
  for (const segment of path.slice(0, -1)) node = node[segment] as Record<string | number, unknown>;
  return [node, path[path.length - 1]!];
}

/**
 * The JSON text of a valid body with one mutation. The mutated spot gets a placeholder, replaced in
 * the text: hostile JSON never goes through JSON.stringify (which cannot write `1e400` or a
 * `__proto__` key, and overflows its stack on deep nesting).
 */
function mutatedBodyText(base: unknown, mutation: BodyMutation | undefined): string {
  if (!mutation) return JSON.stringify(base);
  if (mutation.op === 'replace' && mutation.path.length === 0) return hostileJson(mutation.value);
  const copy = structuredClone(base);
  if (mutation.op === 'delete') {
    const [parent, key] = parentAndKey(copy, mutation.path);
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
    return JSON.stringify(copy);
  }
  const [parent, key] = mutation.op === 'replace' ? parentAndKey(copy, mutation.path) : [parentAndKey(copy, [...mutation.path, 'x'])[0], PLACEHOLDER_KEY];
  parent[key] = PLACEHOLDER;
  const hostile = hostileJson(mutation.value);
  const text = JSON.stringify(copy).replace(JSON.stringify(PLACEHOLDER), () => hostile);
  return mutation.op === 'add' ? text.replace(JSON.stringify(PLACEHOLDER_KEY), () => JSON.stringify(mutation.key)) : text;
}

/** What the request changed from the valid one, short enough for an error message. */
export function describeChange(r: FuzzRequest): string {
  const parts = [
    r.auth.kind === 'valid' ? '' : `auth ${JSON.stringify(r.auth)}`,
    ...r.headers.map(([name, value]) => `${name}: ${JSON.stringify(value).slice(0, 80)}`),
    r.body && 'mutation' in r.body && r.body.mutation ? `body ${JSON.stringify(r.body.mutation).slice(0, 200)}` : '',
    r.body && 'whole' in r.body ? `body ${JSON.stringify(r.body.whole).slice(0, 200)}` : '',
    r.body && r.body.contentType !== 'application/json' ? `Content-Type ${JSON.stringify(r.body.contentType)}` : '',
  ];
  return parts.filter(Boolean).join('; ') || 'nothing but the method, path or query';
}

export function bodyText(body: NonNullable<FuzzRequest['body']>): string {
  return 'whole' in body ? hostileJson(body.whole) : mutatedBodyText(body.base, body.mutation);
}

const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Percent-encodes any text (an unpaired surrogate, which has no UTF-8, goes as U+FFFD). */
function encode(text: string): string {
  return encodeURIComponent(text.replace(UNPAIRED_SURROGATE, '\ufffd'));
}

/** Fills `{name}` in a path template; a router wildcard (`{wildcard}`) keeps its slashes. */
function fillPath(template: string, params: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = encode(params[name] ?? '');
    return name === 'wildcard' ? value.replace(/%2F/g, '/') : value;
  });
}

function encodeQuery(pairs: Array<[string, string]>): string {
  return pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
}

function headerText(value: HeaderValue): string {
  return typeof value === 'string' ? value : value.unit.repeat(value.times);
}

/** The credentials of each caller. */
export type Credentials = Record<Exclude<Caller, 'anyone'>, string>;

function bearer(caller: Caller, credentials: Credentials): string | undefined {
  return caller === 'anyone' ? undefined : `Bearer ${credentials[caller]}`;
}

function authorization(r: FuzzRequest, credentials: Credentials): string | undefined {
  switch (r.auth.kind) {
    case 'valid':
      return bearer(r.caller, credentials);
    case 'none':
      return undefined;
    case 'as':
      return bearer(r.auth.caller, credentials);
    case 'header':
      return r.auth.value;
  }
}

/** Sends a fuzz request over real HTTP (supertest); resolves with whatever the API answered. */
export async function send(h: Harness, r: FuzzRequest, credentials: Credentials): Promise<Response> {
  const url = r.query ? `${r.path}?${r.query}` : r.path;
  const method = r.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete' | 'patch' | 'options';
  let req = h.http()[method](url);
  const auth = authorization(r, credentials);
  if (auth !== undefined) req = req.set('Authorization', auth);
  for (const [name, value] of r.headers) req = req.set(name, headerText(value));
  if (r.body) req = req.set('Content-Type', r.body.contentType).send(bodyText(r.body));
  return req;
}

// ---------------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------------

/** Every path in a JSON value, the root (`[]`) included. */
function nodePaths(value: unknown, path: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [path];
  const children = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [path, ...children.flatMap(([k, v]) => nodePaths(v, [...path, k]))];
}

function objectPaths(value: unknown): Path[] {
  return nodePaths(value).filter((p) => {
    const node = p.reduce<unknown>((n, k) => (n as Record<string | number, unknown>)[k], value);
    return node !== null && typeof node === 'object' && !Array.isArray(node);
  });
}

function unchanged(v: ValidRequest, body = 0): FuzzRequest {
  const base = v.bodies[body];
  return {
    route: `${v.route.method} ${v.route.path}`,
    caller: v.route.caller,
    method: v.route.method,
    path: fillPath(v.route.path, v.params),
    query: encodeQuery(v.query),
    auth: { kind: 'valid' },
    headers: [],
    ...(base === undefined ? {} : { body: { contentType: 'application/json', base } }),
  };
}

/** One field of one valid body changed. */
function bodyMutations(v: ValidRequest): fc.Arbitrary<FuzzRequest> {
  return fc.nat({ max: v.bodies.length - 1 }).chain((index) => {
    const base = v.bodies[index];
    const paths = nodePaths(base);
    // Fields more often than the whole body: one field at a time is where validation slips.
    const fieldPath = fc.oneof({ weight: 1, arbitrary: fc.constant<Path>([]) }, { weight: 6, arbitrary: fc.constantFrom(...paths.filter((p) => p.length > 0)) });
    const mutation: fc.Arbitrary<BodyMutation> = fc.oneof(
      { weight: 5, arbitrary: fc.record({ op: fc.constant('replace' as const), path: fieldPath, value: hostileValue }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), path: fc.constantFrom(...paths.filter((p) => p.length > 0)) }) },
      {
        weight: 2,
        arbitrary: fc.record({ op: fc.constant('add' as const), path: fc.constantFrom(...objectPaths(base)), key: fc.oneof(fc.constantFrom(...SPECIAL_KEYS), hostileText), value: hostileValue }),
      },
    );
    return mutation.map((m): FuzzRequest => ({ ...unchanged(v, index), body: { contentType: 'application/json', base, mutation: m } }));
  });
}

/** Junk put into a query string as is: operators, nesting, broken escapes, overlong UTF-8 and a NUL. */
const RAW_QUERY = ['limit[$gt]=1', '__proto__[admin]=1', 'constructor[prototype][x]=1', 'a[b][c][d]=1', '&&&', '=', '%', '%zz=1', 'since=%00', 'cursor=%ED%A0%80', 'limit=%C0%80', 'limit=1e3', 'limit=0x10', 'limit=+1', 'limit=', 'status=pending&status=failed'];

function queryMutations(v: ValidRequest): fc.Arbitrary<FuzzRequest> {
  const pairs = v.query.length > 0 ? v.query : [['limit', '10'] as [string, string]];
  const mutated: fc.Arbitrary<string> = fc.oneof(
    fc.record({ i: fc.nat({ max: pairs.length - 1 }), value: hostileText }).map(({ i, value }) => encodeQuery(pairs.map(([k, old], j) => [k, j === i ? value : old]))),
    fc.record({ i: fc.nat({ max: pairs.length - 1 }), value: hostileText }).map(({ i, value }) => encodeQuery([...pairs, [pairs[i]![0], value]])),
    fc.record({ key: fc.oneof(fc.constantFrom(...SPECIAL_KEYS), hostileText), value: hostileText }).map(({ key, value }) => encodeQuery([...v.query, [key, value]])),
    fc.constantFrom(...RAW_QUERY).map((raw) => [encodeQuery(v.query), raw].filter(Boolean).join('&')),
  );
  return mutated.map((query) => ({ ...unchanged(v), query }));
}

/** Percent-escapes that are broken, overlong or decode to separators. */
const RAW_PATH = ['%', '%zz', '%E0%A4%A', '%ED%A0%80', '%C0%80', '%00', '%2e%2e', '%2F', '%252e', '..', '.', ';a=1', '*'];

function pathMutations(v: ValidRequest): fc.Arbitrary<FuzzRequest> {
  const names = Object.keys(v.params);
  const fill = (params: Record<string, string>) => fillPath(v.route.path, params);
  const mutated: fc.Arbitrary<string> = fc.oneof(
    ...(names.length > 0 ? [fc.record({ name: fc.constantFrom(...names), value: fc.oneof(hostileText, fc.constant('x'.repeat(5000))) }).map(({ name, value }) => fill({ ...v.params, [name]: value }))] : []),
    fc.constantFrom(...RAW_PATH).map((raw) => `${fill(v.params)}/${raw}`),
    hostileText.map((segment) => `${fill(v.params)}/${encode(segment)}`),
    fc.constantFrom('//', '/./', '/../').map((sep) => fill(v.params).replace(/\/(?=[^/]*$)/, sep)),
    fc.constant(fill(v.params).toUpperCase()),
  );
  return mutated.map((path) => ({ ...unchanged(v), path }));
}

/** Header values Node's HTTP client will send: tab, printable ASCII and Latin-1. */
const headerSafeText = fc.string({
  unit: fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff }), fc.constant(0x09)).map((c) => String.fromCharCode(c)),
  maxLength: 40,
});

const CONTENT_TYPES = ['application/json', 'text/plain', 'application/json; charset=utf-16', 'application/json; charset=latin1', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/vnd.api+json', ''];

function headerMutations(v: ValidRequest): fc.Arbitrary<FuzzRequest> {
  const header: fc.Arbitrary<[string, HeaderValue]> = fc.oneof(
    fc.oneof(headerSafeText, fc.uuid(), fc.constant('k'.repeat(256))).map((value): [string, HeaderValue] => ['Idempotency-Key', value]),
    fc.record({ name: fc.constantFrom('Accept', 'Accept-Encoding', 'Cookie', 'Origin', 'X-Forwarded-For', 'X-Request-Id', 'X-Internal-Token', 'If-None-Match', 'Range'), value: headerSafeText }).map(({ name, value }): [string, HeaderValue] => [name, value]),
    // Past Node's 16 KiB header limit: the parser refuses it before Fastify sees it.
    fc.constantFrom(1000, 20_000).map((times): [string, HeaderValue] => ['X-Padding', { unit: 'x', times }]),
  );
  const contentType = fc.constantFrom(...CONTENT_TYPES);
  return fc.oneof(
    header.map((h): FuzzRequest => ({ ...unchanged(v), headers: [h] })),
    contentType.map((type): FuzzRequest => {
      const r = unchanged(v);
      return { ...r, body: { ...(r.body ?? { base: {} }), contentType: type } };
    }),
  );
}

function authMutations(v: ValidRequest): fc.Arbitrary<FuzzRequest> {
  const auth: fc.Arbitrary<Auth> = fc.oneof(
    fc.constant<Auth>({ kind: 'none' }),
    fc.constantFrom<Caller>('customer', 'internal').map((caller): Auth => ({ kind: 'as', caller })),
    fc.oneof(headerSafeText.map((t) => `Bearer ${t}`), headerSafeText, fc.constantFrom('Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'bearer inbox_sk_x', `Bearer inbox_sk_${'A'.repeat(43)}`)).map((value): Auth => ({ kind: 'header', value })),
  );
  return auth.map((a) => ({ ...unchanged(v), auth: a }));
}

/** Anything at all: another method, a random or hostile body, possibly no credentials. */
function randomRequests(v: ValidRequest): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'),
      whole: fc.oneof(hostileValue, fc.jsonValue({ maxDepth: 4 }).map((value): Hostile => ({ kind: 'value', value }))),
      auth: fc.constantFrom<Auth>({ kind: 'valid' }, { kind: 'none' }),
    })
    .map(({ method, whole, auth }): FuzzRequest => ({ ...unchanged(v), method, auth, body: { contentType: 'application/json', whole } }));
}

/** How often a route is picked: those taking bodies most (most to get wrong), the docs UI least. */
function routeWeight(v: ValidRequest): number {
  if (v.bodies.length > 0) return 4;
  return v.route.caller === 'anyone' ? 1 : 2;
}

/** Requests starting from the valid ones, each with one thing changed, or anything at all. */
export function fuzzRequests(valid: readonly ValidRequest[]): fc.Arbitrary<FuzzRequest> {
  const route = fc.oneof(...valid.map((v) => ({ weight: routeWeight(v), arbitrary: fc.constant(v) })));
  return route.chain((v) =>
    fc.oneof(
      ...(v.bodies.length > 0 ? [{ weight: 8, arbitrary: bodyMutations(v) }] : []),
      { weight: 2, arbitrary: queryMutations(v) },
      { weight: 2, arbitrary: pathMutations(v) },
      { weight: 2, arbitrary: headerMutations(v) },
      { weight: 1, arbitrary: authMutations(v) },
      { weight: 2, arbitrary: randomRequests(v) },
      { weight: 1, arbitrary: fc.constant(unchanged(v)) },
    ),
  );
}

/** The unchanged valid request of a route, as sent. */
export function validRequest(v: ValidRequest, body = 0): FuzzRequest {
  return unchanged(v, body);
}

/**
 * The valid request with one field made hostile, for every field and every sample: each body field
 * (once per route, however many valid bodies have it; array items past the first left out: they
 * repeat its shape), query parameter and path parameter.
 */
export function oneFieldAtATime(v: ValidRequest): FuzzRequest[] {
  const swept = new Set<string>();
  const bodies = v.bodies.flatMap((base, index) =>
    nodePaths(base)
      .filter((path) => !path.some((segment) => typeof segment === 'number' && segment > 0))
      .filter((path) => !swept.has(path.join('.')) && swept.add(path.join('.')))
      .flatMap((path) => HOSTILE_SAMPLES.map((value): FuzzRequest => ({ ...unchanged(v, index), body: { contentType: 'application/json', base, mutation: { op: 'replace', path, value } } }))),
  );
  const queries = v.query.flatMap((_, i) =>
    HOSTILE_TEXT_SAMPLES.map((value): FuzzRequest => ({ ...unchanged(v), query: encodeQuery(v.query.map(([k, old], j) => [k, j === i ? value : old])) })),
  );
  const params = Object.keys(v.params).flatMap((name) => HOSTILE_TEXT_SAMPLES.map((value): FuzzRequest => ({ ...unchanged(v), path: fillPath(v.route.path, { ...v.params, [name]: value }) })));
  return [...bodies, ...queries, ...params];
}
