import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../common/api-error.js';
import { toErrorResponse } from '../common/error-response.js';

/** Where `pnpm build` puts the dashboard, seen from this file (src/dashboard or dist/dashboard). */
const BUILT_DASHBOARD = fileURLToPath(new URL('../../../dashboard/dist/', import.meta.url));

export const DASHBOARD_PATH = '/dashboard';

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** The page may load only what this server serves; the API is same-origin, nothing is framed. */
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  // index.html names the hashed assets of the current build: always revalidated.
  'cache-control': 'no-cache',
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
};

/** Hashed file names: a name never changes content, so browsers keep them for a year. */
const ASSET_CACHE = 'public, max-age=31536000, immutable';

interface Asset {
  type: string;
  body: Buffer;
  /** Present when gzip makes it smaller. */
  gzipped?: Buffer;
}

/** The build, read once: the page and every file of assets/ (a few hundred KiB), nothing from disk per request. */
function loadBuild(dir: string): { page: Buffer; assets: Map<string, Asset> } | null {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return null;
  const assets = new Map<string, Asset>();
  const assetDir = join(dir, 'assets');
  for (const name of existsSync(assetDir) ? readdirSync(assetDir) : []) {
    const type = CONTENT_TYPES[extname(name)];
    if (!type) continue;
    const body = readFileSync(join(assetDir, name));
    const gzipped = type.startsWith('image/png') || type.startsWith('font/') ? undefined : gzipSync(body, { level: 9 });
    assets.set(name, { type, body, ...(gzipped && gzipped.length < body.length && { gzipped }) });
  }
  return { page: readFileSync(index), assets };
}

function notFound(reply: FastifyReply, message: string): FastifyReply {
  const answer = toErrorResponse(new ApiError(404, 'not_found', message));
  return reply.headers(answer.headers).status(answer.status).send(answer.body);
}

function acceptsGzip(req: FastifyRequest): boolean {
  const accept = req.headers['accept-encoding'];
  return typeof accept === 'string' && /\bgzip\b/.test(accept);
}

/**
 * Serves the dashboard (a single-page app) at /dashboard from the API's own origin: hashed assets
 * under /dashboard/assets/ with year-long caching (gzipped when the browser accepts it), and
 * index.html, never cached, for /dashboard and every client route under it. Without a build the
 * API still starts, says so in `log`, and /dashboard answers 404 saying how to build it.
 */
export function serveDashboard(fastify: FastifyInstance, dir: string, log: (message: string) => void): void {
  const root = dir || BUILT_DASHBOARD;
  const build = loadBuild(root);
  if (!build) {
    log(`dashboard not built (no ${join(root, 'index.html')}): ${DASHBOARD_PATH} is not served; run \`pnpm build\``);
    const missing = (_req: FastifyRequest, reply: FastifyReply) => notFound(reply, 'The dashboard is not built on this server: run `pnpm build`');
    fastify.get(DASHBOARD_PATH, missing);
    fastify.get(`${DASHBOARD_PATH}/*`, missing);
    return;
  }
  log(`dashboard served at ${DASHBOARD_PATH} from ${root} (${build.assets.size} assets)`);

  const page = (_req: FastifyRequest, reply: FastifyReply) => reply.headers(PAGE_HEADERS).send(build.page);
  fastify.get(DASHBOARD_PATH, page);
  fastify.get(`${DASHBOARD_PATH}/*`, (req, reply) => {
    // A missing asset is a 404, not the page (a stale tab asking for an old build's file).
    if ((req.params as { '*': string })['*'].startsWith('assets/')) return notFound(reply, 'No such dashboard asset');
    return page(req, reply);
  });
  fastify.get(`${DASHBOARD_PATH}/assets/:file`, (req, reply) => {
    const asset = build.assets.get((req.params as { file: string }).file);
    if (!asset) return notFound(reply, 'No such dashboard asset');
    void reply.headers({ 'content-type': asset.type, 'cache-control': ASSET_CACHE, 'x-content-type-options': 'nosniff', vary: 'accept-encoding' });
    if (asset.gzipped && acceptsGzip(req)) return reply.header('content-encoding', 'gzip').send(asset.gzipped);
    return reply.send(asset.body);
  });
}
