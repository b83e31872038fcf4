import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Where `npm run build` puts the dashboard: `dist/web` at the repository root, reached
 * the same way from `src/server` (tsx) and `dist/server` (compiled).
 */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../dist/web', import.meta.url));

/**
 * The dashboard's own security headers: it loads nothing from elsewhere but the
 * catalog's product images (https, as the shop hosts them: an image runs no code), and
 * no other site may frame it (a signed-in page must not be clickjacked).
 */
const PAGE_HEADERS = {
  'cache-control': 'no-cache',
  'content-security-policy':
    "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

const MISSING_BUILD = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Rapport: dashboard not built</title></head>
<body><main><h1>The dashboard is not built</h1>
<p>This server found no built dashboard. Run <code>npm run build</code> in the Rapport
checkout (<code>npm install</code> and <code>npm start</code> build it too), then reload
this page. The API itself works: see <a href="/openapi.json">/openapi.json</a>.</p></main></body></html>
`;

/**
 * Serves the dashboard (web/, built by `npm run build` into `webRoot`) at `/`: hashed
 * assets under `/assets/` with immutable caching, and `index.html` for `/` and for any
 * other GET a browser makes for a page, so client routes (`/customers/...`) load on a
 * reload. The API's paths are never shadowed: a path whose first segment is one of
 * `apiPrefixes` (taken from the route table) keeps its JSON 404.
 */
export function registerDashboard(
  app: FastifyInstance,
  webRoot: string,
  apiPrefixes: ReadonlySet<string>,
  notFound: (request: FastifyRequest, reply: FastifyReply) => unknown,
): void {
  const assets = join(webRoot, 'assets');
  if (existsSync(assets)) {
    void app.register(fastifyStatic, {
      root: assets,
      prefix: '/assets/',
      wildcard: true,
      index: false,
      // Hashed file names change with their content, so a year of caching is safe.
      immutable: true,
      maxAge: '365d',
    });
  }
  const page = async (_request: FastifyRequest, reply: FastifyReply) => {
    const html = await readFile(join(webRoot, 'index.html'), 'utf8').catch(() => null);
    return reply
      .code(html === null ? 503 : 200)
      .headers(PAGE_HEADERS)
      .type('text/html; charset=utf-8')
      .send(html ?? MISSING_BUILD);
  };
  app.get('/', page);
  app.setNotFoundHandler((request, reply) => {
    if (isPageRequest(request, apiPrefixes)) return page(request, reply);
    return notFound(request, reply);
  });
}

/** A browser asking for a page of the app, not a client asking the API. */
function isPageRequest(request: FastifyRequest, apiPrefixes: ReadonlySet<string>): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const path = request.url.split('?')[0] ?? '';
  const first = path.split('/')[1] ?? '';
  if (apiPrefixes.has(first) || first === 'assets') return false;
  return (request.headers.accept ?? '').includes('text/html');
}

/** The first path segment of every route: paths under them belong to the API. */
export function apiPrefixesOf(urls: readonly string[]): Set<string> {
  return new Set(urls.map((u) => u.split('/')[1] ?? '').filter((s) => s !== ''));
}
