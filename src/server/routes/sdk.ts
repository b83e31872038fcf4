import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ForbiddenError, NotFoundError } from '../../shared/index.js';
import type { AppContext } from '../context.js';
import { defineRoute, type RouteDef } from '../route.js';
import { SdkBundleFiles, type BundleFile } from '../sdk-bundle.js';

const Enabled = z.object({ enabled: z.boolean() });

/**
 * The source settings Segment's SDKs load before sending anything (analytics-next's
 * `CDNSettings`, the mobile SDKs' `Settings`): the one destination, "Segment.io", sends
 * to this server. Nothing goes to Segment: no device-mode destinations, no middleware,
 * no remote plugins, and the SDK's own telemetry is off (`metrics.sampleRate: 0`).
 */
export const SdkSettings = z.object({
  integrations: z.object({
    'Segment.io': z.object({
      apiKey: z.string(),
      /** Host and path of the API, without scheme: `rapport.example/v1`. */
      apiHost: z.string(),
      protocol: z.enum(['http', 'https']),
      unbundledIntegrations: z.array(z.string()),
      addBundledMetadata: z.boolean(),
      maybeBundledConfigIds: z.record(z.string(), z.array(z.string())),
      versionSettings: z.object({
        version: z.string(),
        componentTypes: z.array(z.string()),
      }),
    }),
  }),
  plan: z.object({
    track: z.object({
      __default: Enabled.extend({ integrations: z.record(z.string(), z.unknown()) }),
    }),
    identify: z.object({ __default: Enabled }),
    group: z.object({ __default: Enabled }),
  }),
  edgeFunction: z.object({}),
  analyticsNextEnabled: z.boolean(),
  middlewareSettings: z.object({}),
  enabledMiddleware: z.record(z.string(), z.boolean()),
  metrics: z.object({ sampleRate: z.number() }),
  legacyVideoPluginsEnabled: z.boolean(),
  remotePlugins: z.array(z.unknown()),
});
export type SdkSettings = z.infer<typeof SdkSettings>;

/** `https://rapport.example/base` -> host and path `rapport.example/base/v1`, scheme. */
function apiHostOf(publicUrl: string): { apiHost: string; protocol: 'http' | 'https' } {
  const url = new URL(publicUrl);
  const base = url.pathname.replace(/\/+$/, '');
  return {
    apiHost: `${url.host}${base}/v1`,
    protocol: url.protocol === 'https:' ? 'https' : 'http',
  };
}

export function sdkSettings(key: string, publicUrl: string): SdkSettings {
  return {
    integrations: {
      'Segment.io': {
        apiKey: key,
        ...apiHostOf(publicUrl),
        unbundledIntegrations: [],
        addBundledMetadata: true,
        maybeBundledConfigIds: {},
        versionSettings: { version: '4.4.7', componentTypes: ['browser'] },
      },
    },
    plan: {
      track: { __default: { enabled: true, integrations: {} } },
      identify: { __default: { enabled: true } },
      group: { __default: { enabled: true } },
    },
    edgeFunction: {},
    analyticsNextEnabled: true,
    middlewareSettings: {},
    enabledMiddleware: {},
    metrics: { sampleRate: 0 },
    legacyVideoPluginsEnabled: false,
    remotePlugins: [],
  };
}

const KeyParams = z.object({ writeKey: z.string().min(1).max(200) });
const ChunkParams = z.object({ file: z.string().min(1).max(200) });
const JS = 'application/javascript; charset=utf-8';
const DAY_S = 86_400;

function sendFile(
  request: FastifyRequest,
  reply: FastifyReply,
  file: BundleFile,
  type: string,
  maxAgeS: number,
): Buffer {
  const accepts = /\bgzip\b/.test(request.headers['accept-encoding'] ?? '');
  // The bundle is the same for every site and holds no data: any page may load it.
  void reply
    .type(type)
    .header('cache-control', `public, max-age=${maxAgeS}`)
    .header('access-control-allow-origin', '*')
    .header('vary', 'Accept-Encoding');
  if (accepts && file.gzip) {
    void reply.header('content-encoding', 'gzip');
    return file.gzip;
  }
  return file.body;
}

/**
 * What a site needs to run Segment's browser SDK against Rapport alone: the settings the
 * SDK loads from its CDN, and the analytics-next bundle itself (docs/sdk.md).
 */
export function sdkRoutes(ctx: AppContext): RouteDef[] {
  const bundle = new SdkBundleFiles();
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/projects/:writeKey/settings',
      summary:
        "Source settings Segment's SDKs load (cdnURL / cdnHost): send events to this server. The key is the one in the path",
      tag: 'ingest',
      auth: 'write',
      keyParam: 'writeKey',
      // No person is named: a public key may load the settings it sends events with.
      publicKey: () => ({ userIds: [] }),
      params: KeyParams,
      responses: { 200: SdkSettings },
      handler: ({ params, principal }) => {
        if (principal.scope !== 'write' && principal.scope !== 'public') {
          throw new ForbiddenError(
            `Web pages and apps hold a write or public key; this is a ${principal.scope} key, which must stay on your servers. Revoke it if it was published, and use a public key in the page.`,
            [{ path: 'writeKey', problem: `is a ${principal.scope} key` }],
          );
        }
        return Promise.resolve(sdkSettings(params.writeKey, ctx.publicUrl));
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/analytics.js/v1/:writeKey/analytics.min.js',
      summary:
        "The analytics-next standalone bundle (what Segment's CDN serves), for the snippet with analytics._cdn set to this server",
      tag: 'ingest',
      auth: 'public',
      params: KeyParams,
      produces: JS,
      responses: { 200: z.string() },
      // Same bytes for every key: the SDK reads the key from this URL itself.
      handler: async ({ request, reply }) =>
        sendFile(request, reply, (await bundle.get()).standalone, JS, 300),
    }),
    defineRoute({
      method: 'GET',
      url: '/analytics-next/bundles/:file',
      summary: 'A chunk of the analytics-next bundle (loaded by it on demand)',
      tag: 'ingest',
      auth: 'public',
      params: ChunkParams,
      produces: JS,
      responses: { 200: z.string() },
      handler: async ({ params, request, reply }) => {
        const file = (await bundle.get()).files.get(params.file);
        if (!file) throw new NotFoundError(`No analytics-next chunk named ${params.file}.`);
        const type = params.file.endsWith('.map') ? 'application/json; charset=utf-8' : JS;
        // Chunk names carry a content hash: one name, one content, for ever.
        return sendFile(request, reply, file, type, 365 * DAY_S);
      },
    }),
  ];
}
