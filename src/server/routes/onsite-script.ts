import { z } from 'zod';
import type { AppContext } from '../context.js';
import { defineRoute, type RouteDef } from '../route.js';
import { etagMatches, loadSdkScript, type SdkScript } from '../sdk-script.js';

/**
 * Five minutes fresh, then revalidated by ETag (a 304 costs a few bytes): a new release's
 * script reaches visitors within minutes without a versioned URL in every shop's pages.
 */
const CACHE_CONTROL = 'public, max-age=300, stale-while-revalidate=86400';

const gzippedEtag = (etag: string) => `${etag.slice(0, -1)}-gz"`;

/** `gzip` listed in Accept-Encoding without `q=0`. */
function acceptsGzip(header: string | undefined): boolean {
  return (header ?? '').split(',').some((part) => {
    const [coding, ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    if (coding !== 'gzip' && coding !== '*') return false;
    const q = params.find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/** The on-site slots script (docs/onsite-slots.md): public, no key, cached by ETag. */
export function onsiteScriptRoutes(_ctx: AppContext): RouteDef[] {
  let script: Promise<SdkScript> | undefined;
  return [
    defineRoute({
      method: 'GET',
      url: '/sdk/rapport.js',
      summary: 'The on-site slots script: fills data-rapport-slot elements (docs/onsite-slots.md)',
      tag: 'sdk',
      auth: 'public',
      produces: 'text/javascript',
      responses: { 200: z.string() },
      handler: async ({ request, reply }) => {
        script ??= loadSdkScript();
        const { body, gzipped, etag } = await script.catch((error: unknown) => {
          script = undefined;
          throw error;
        });
        reply
          .header('cache-control', CACHE_CONTROL)
          .header('vary', 'accept-encoding')
          .header('x-content-type-options', 'nosniff')
          // Shops load it from another origin, some under Cross-Origin-Embedder-Policy.
          .header('cross-origin-resource-policy', 'cross-origin');
        const gzip = acceptsGzip(request.headers['accept-encoding']);
        // One strong ETag per encoding; either one validates a cached copy.
        reply.header('etag', gzip ? gzippedEtag(etag) : etag);
        const cached = request.headers['if-none-match'];
        if (etagMatches(cached, etag) || etagMatches(cached, gzippedEtag(etag))) {
          reply.code(304);
          return reply.send();
        }
        reply.type('text/javascript; charset=utf-8');
        if (gzip) {
          reply.header('content-encoding', 'gzip');
          return gzipped;
        }
        return body;
      },
    }),
  ];
}
