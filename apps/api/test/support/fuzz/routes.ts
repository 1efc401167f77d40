/** Who a route expects: a customer's API key, the service token, or nobody in particular. */
export type Caller = 'customer' | 'internal' | 'anyone';

/** One route of the API: what the router serves, with what its OpenAPI document says of it. */
export interface RouteSpec {
  method: string;
  /** The OpenAPI path template, e.g. `/v1/webhooks/{id}`. */
  path: string;
  caller: Caller;
  pathParams: string[];
  queryParams: string[];
  /** Whether the route takes a JSON body. */
  hasBody: boolean;
  /** The body's example in the document, for routes the fuzzer has no fixture for. */
  bodyExample?: unknown;
}

/** A route the router serves: its method and its path with `{name}` for each parameter (`*` as `{wildcard}`). */
export interface RouterRoute {
  method: string;
  path: string;
}

/**
 * The routes in Fastify's `printRoutes({ commonPrefix: false })` tree: each line is a path segment
 * under the line one indent (4 characters) up, with the methods it serves in parentheses. HEAD is
 * left out (Fastify adds it to every GET).
 */
export function routerRoutes(printed: string): RouterRoute[] {
  const prefixes: string[] = [];
  const routes: RouterRoute[] = [];
  for (const line of printed.split('\n')) {
    const match = /^(.*?)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    const path = (prefixes[depth - 1] ?? '') + match[2]!;
    prefixes[depth] = path;
    prefixes.length = depth + 1;
    const template = path.replace(/:(\w+)/g, '{$1}').replace(/\*$/, '{wildcard}');
    for (const method of (match[3] ?? '').split(', ').filter((m) => m && m !== 'HEAD')) routes.push({ method, path: template });
  }
  return routes;
}

interface Operation {
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string }>;
  requestBody?: { content?: Record<string, { schema?: { $ref?: string; example?: unknown } }> };
}

interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, { example?: unknown }> };
}

const CALLER_BY_SCHEME: Record<string, Caller> = { api_key: 'customer', internal_token: 'internal' };

function callerOf(op: Operation): Caller {
  const scheme = Object.keys(op.security?.[0] ?? {})[0];
  if (scheme === undefined) return 'anyone';
  const caller = CALLER_BY_SCHEME[scheme];
  if (!caller) throw new Error(`the fuzzer does not know the security scheme ${scheme}: add it to CALLER_BY_SCHEME`);
  return caller;
}

function bodyExampleOf(doc: OpenApiDocument, op: Operation): unknown {
  const schema = op.requestBody?.content?.['application/json']?.schema;
  if (!schema) return undefined;
  if (schema.$ref) return doc.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')]?.example;
  return schema.example;
}

/**
 * Every route the router serves, so a route added to the API is fuzzed without touching the test;
 * what the OpenAPI document says of it (caller, query parameters, body example) where it is there.
 */
export function routeSpecs(router: readonly RouterRoute[], doc: OpenApiDocument): RouteSpec[] {
  return router.map(({ method, path }): RouteSpec => {
    const op: Operation = doc.paths[path]?.[method.toLowerCase()] ?? {};
    return {
      method,
      path,
      caller: callerOf(op),
      pathParams: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!),
      queryParams: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      hasBody: op.requestBody?.content?.['application/json'] !== undefined,
      bodyExample: bodyExampleOf(doc, op),
    };
  });
}
