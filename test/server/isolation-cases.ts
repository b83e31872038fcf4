import type { TestApp } from '../helpers/app.js';
import { pushSubscription, type WorkspaceA } from '../helpers/isolation.js';

/**
 * What another workspace's key may get from a route aimed at A:
 * - `not_found`: 404, as if A's thing did not exist (it does not, for that key);
 * - `refused`: any 4xx (e.g. a definition naming A's segment is invalid in B);
 * - `own`: the caller's own view or its own new thing; a success must name none of A's ids.
 * Whatever the status, no response may show A's values or secrets.
 */
export type Expect = 'not_found' | 'refused' | 'own';

export interface RouteCase {
  expect: Expect;
  query?: Record<string, string>;
  body?: unknown;
}

/**
 * One case per keyed route of the OpenAPI document, with a valid request that aims at A's
 * ids wherever the route takes one. A route without a case fails the test: a new route
 * needs one here.
 */
export function routeCases(a: WorkspaceA): Record<string, RouteCase> {
  const userId = a.userId;
  const at = '2026-11-01T11:00:00.000Z';
  // B reuses A's message ids: deduplication is per workspace, never across.
  const ingest = (extra: Record<string, unknown>): RouteCase => ({
    expect: 'own',
    body: { userId, timestamp: at, ...extra },
  });
  const journey = {
    name: 'bravo journey',
    trigger: { type: 'api' },
    start: 'ping',
    steps: [
      { id: 'ping', type: 'webhook', url: 'https://bravo.example/hook', next: 'done' },
      { id: 'done', type: 'exit' },
    ],
  };
  const template = {
    name: 'bravo template',
    channel: 'email',
    subject: 'bravo subject',
    html: '<p>bravo</p>',
  };
  const offer = { name: 'bravo offer', kind: 'content_block' };
  return {
    'POST /v1/track': ingest({ messageId: 'a-2', event: 'Product Viewed' }),
    'POST /v1/identify': ingest({ messageId: 'a-1', traits: { plan: 'bravo' } }),
    'POST /v1/page': ingest({ messageId: 'b-page', name: 'Home' }),
    'POST /v1/screen': ingest({ messageId: 'b-screen', name: 'Home' }),
    'POST /v1/group': ingest({ messageId: 'b-group', groupId: 'g-1' }),
    'POST /v1/alias': ingest({ messageId: 'b-alias', previousId: 'u-alpha-2' }),
    'POST /v1/batch': {
      expect: 'own',
      body: { batch: [{ type: 'identify', messageId: 'b-batch', userId, timestamp: at }] },
    },
    // The short paths of Segment's browser and mobile SDKs: the same calls.
    'POST /v1/t': ingest({ messageId: 'a-2', event: 'Product Viewed' }),
    'POST /v1/i': ingest({ messageId: 'a-1', traits: { plan: 'bravo' } }),
    'POST /v1/p': ingest({ messageId: 'b-p', name: 'Home' }),
    'POST /v1/s': ingest({ messageId: 'b-s', name: 'Home' }),
    'POST /v1/g': ingest({ messageId: 'b-g', groupId: 'g-1' }),
    'POST /v1/a': ingest({ messageId: 'b-a', previousId: 'u-alpha-2' }),
    'POST /v1/b': {
      expect: 'own',
      body: { batch: [{ type: 'identify', messageId: 'b-b', userId, timestamp: at }] },
    },
    // The path names A's write key, the header B's: one request, one key.
    'GET /v1/projects/{writeKey}/settings': { expect: 'refused' },
    'GET /v1/events': { expect: 'own', query: { userId } },
    'GET /v1/profiles/{kind}/{value}': { expect: 'not_found' },
    'GET /v1/profiles/{kind}/{value}/export': { expect: 'not_found' },
    'DELETE /v1/profiles/{kind}/{value}': { expect: 'not_found' },
    'GET /v1/erasures/{id}': { expect: 'not_found' },
    'GET /v1/profiles': { expect: 'own', query: { q: 'zebraa' } },
    'POST /v1/admin/profiles/{profileId}/unmerge': { expect: 'not_found' },
    'POST /v1/admin/profiles/model/refresh': { expect: 'own' },
    'POST /v1/segments': {
      expect: 'refused',
      body: { name: 'bravo on A', definition: { segment: a.segmentId } },
    },
    'GET /v1/segments': { expect: 'own' },
    'POST /v1/segments/preview': {
      expect: 'own',
      body: { definition: { trait: 'plan', eq: 'pro' } },
    },
    'GET /v1/segments/{id}': { expect: 'not_found' },
    'PUT /v1/segments/{id}': {
      expect: 'not_found',
      body: { name: 'bravo', definition: { trait: 'plan', eq: 'bravo' } },
    },
    'DELETE /v1/segments/{id}': { expect: 'not_found' },
    'GET /v1/segments/{id}/members': { expect: 'not_found' },
    'GET /v1/segments/{id}/members.csv': { expect: 'not_found' },
    'GET /v1/journey-recipes': { expect: 'own' },
    'POST /v1/journeys': { expect: 'own', body: { definition: journey } },
    'GET /v1/journeys': { expect: 'own' },
    'GET /v1/journeys/{id}': { expect: 'not_found' },
    'PUT /v1/journeys/{id}': { expect: 'not_found', body: { definition: journey } },
    'POST /v1/journeys/{id}/activate': { expect: 'not_found' },
    'POST /v1/journeys/{id}/pause': { expect: 'not_found' },
    'POST /v1/journeys/{id}/archive': { expect: 'not_found' },
    'GET /v1/journeys/{id}/stats': { expect: 'not_found' },
    'GET /v1/experiments': { expect: 'own' },
    'GET /v1/journeys/{id}/uplift': { expect: 'not_found' },
    'POST /v1/journeys/{id}/uplift/train': { expect: 'not_found' },
    'GET /v1/experiments/{id}': { expect: 'not_found' },
    'GET /v1/experiments/{id}/report': { expect: 'not_found' },
    'PUT /v1/experiments/{id}': { expect: 'not_found', body: { name: 'bravo experiment' } },
    'POST /v1/experiments': {
      expect: 'own',
      body: {
        kind: 'template',
        subjectId: 'bravo-tpl',
        arms: [
          { name: 'a', weight: 1 },
          { name: 'b', weight: 1 },
        ],
        controlArm: 'a',
      },
    },
    'GET /v1/reports/program': { expect: 'own' },
    'GET /v1/profiles/{kind}/{value}/experiments': { expect: 'not_found' },
    'GET /v1/reports/maturity': { expect: 'own' },
    'GET /v1/reports/effectiveness': { expect: 'own' },
    'POST /v1/journeys/{id}/simulate': { expect: 'not_found', body: {} },
    'POST /v1/journeys/{id}/trigger': { expect: 'not_found', body: { userId } },
    'GET /v1/profiles/{kind}/{value}/journeys': { expect: 'not_found' },
    'GET /v1/profiles/{kind}/{value}/trace': { expect: 'not_found' },
    'GET /v1/messages': {
      expect: 'own',
      query: { profileId: a.profileId, journeyId: a.journeyId },
    },
    'PUT /v1/catalog/items': {
      expect: 'own',
      body: { items: [{ id: 'item-bravo', title: 'bravo shoe', price: 5 }] },
    },
    'GET /v1/catalog/items': { expect: 'own', query: { q: 'zebraa' } },
    'GET /v1/catalog/items/{id}': { expect: 'not_found' },
    'DELETE /v1/catalog/items/{id}': { expect: 'not_found' },
    'GET /v1/recommendations': { expect: 'own', query: { userId } },
    'POST /v1/admin/recommendations/train': { expect: 'own' },
    'GET /v1/admin/recommendations/versions': { expect: 'own' },
    'POST /v1/admin/recommendations/rollback': { expect: 'own', body: { version: 1 } },
    'POST /v1/decide': { expect: 'refused', body: { placement: a.placement, userId } },
    'POST /v1/offers': { expect: 'own', body: { id: 'bravo-offer', ...offer } },
    'GET /v1/offers': { expect: 'own' },
    'POST /v1/offers/validate': { expect: 'not_found', body: { id: a.offerId, offer } },
    'GET /v1/offers/{id}': { expect: 'not_found' },
    'GET /v1/offers/{id}/versions': { expect: 'not_found' },
    'PUT /v1/offers/{id}': { expect: 'not_found', body: offer },
    'DELETE /v1/offers/{id}': { expect: 'not_found' },
    'POST /v1/offers/{id}/codes': { expect: 'not_found', body: { codes: ['BRAVO-1'] } },
    'POST /v1/placements': {
      expect: 'refused',
      body: {
        name: 'bravo_hero',
        candidates: [a.offerId],
        default: a.offerId,
        policy: { kind: 'fixed' },
      },
    },
    'GET /v1/placements': { expect: 'own' },
    'GET /v1/placements/{name}': { expect: 'not_found' },
    'GET /v1/placements/{name}/stats': { expect: 'not_found' },
    'PUT /v1/placements/{name}': {
      expect: 'not_found',
      body: { candidates: [a.offerId], default: a.offerId, policy: { kind: 'fixed' } },
    },
    'DELETE /v1/placements/{name}': { expect: 'not_found' },
    'POST /v1/templates': { expect: 'own', body: { id: 'bravo-tpl', ...template } },
    'GET /v1/templates': { expect: 'own' },
    'GET /v1/templates/{id}': { expect: 'not_found' },
    'PUT /v1/templates/{id}': { expect: 'not_found', body: { id: a.templateId, ...template } },
    'POST /v1/templates/{id}/preview': { expect: 'not_found', body: { value: userId } },
    'POST /v1/templates/{id}/test-send': {
      expect: 'not_found',
      body: { to: 'bravo@example.com', person: { value: userId } },
    },
    'GET /v1/profiles/{kind}/{value}/consent': { expect: 'not_found' },
    'PUT /v1/profiles/{kind}/{value}/consent': { expect: 'not_found', body: { email: 'denied' } },
    'POST /v1/push/subscriptions': {
      expect: 'own',
      body: { userId, subscription: pushSubscription('https://push.example/bravo') },
    },
    'GET /v1/push/vapid-public-key': { expect: 'own' },
    // B's key opens, reads and closes B's own session; it never names A's workspace.
    'POST /v1/session': { expect: 'own' },
    'GET /v1/session': { expect: 'own' },
    'DELETE /v1/session': { expect: 'own' },
    'GET /v1/stats/overview': { expect: 'own' },
    'GET /v1/admin/keys': { expect: 'own' },
    'POST /v1/admin/keys': { expect: 'own', body: { scope: 'read', name: 'bravo' } },
    'DELETE /v1/admin/keys/{id}': { expect: 'not_found' },
    'POST /v1/admin/keys/{id}/rotate': { expect: 'not_found', body: {} },
    'GET /v1/admin/rejected': { expect: 'own' },
    'GET /v1/admin/quarantine': { expect: 'own' },
    'POST /v1/admin/quarantine/{eventId}/retry': { expect: 'not_found' },
    'DELETE /v1/admin/quarantine/{eventId}': { expect: 'not_found' },
    'GET /v1/admin/settings': { expect: 'own' },
    'GET /v1/admin/settings/email-setup': { expect: 'own' },
    // No SMTP_URL in this app: a 409 naming it, for any workspace.
    'POST /v1/admin/settings/smtp-test': { expect: 'own' },
    'PUT /v1/admin/settings': {
      expect: 'own',
      body: { webhook: { url: 'https://bravo.example/settings' } },
    },
    'GET /v1/admin/webhook-secret': { expect: 'own' },
    'POST /v1/admin/webhook-secret/rotate': { expect: 'own', body: {} },
    'GET /v1/admin/identity-secret': { expect: 'own' },
    'POST /v1/admin/identity-secret/rotate': { expect: 'own', body: {} },
    // A's audit entries (its segment's creation among them) are never B's to read.
    'GET /v1/admin/audit': { expect: 'own', query: { target: `segment:${a.segmentId}` } },
  };
}

/** A's id for each path parameter, by the route's path. */
export function pathFor(path: string, a: WorkspaceA): string {
  const section = path.split('/')[2] === 'admin' ? path.split('/')[3] : path.split('/')[2];
  const idOf: Record<string, string> = {
    segments: a.segmentId,
    journeys: a.journeyId,
    templates: a.templateId,
    experiments: a.experimentId,
    catalog: a.itemId,
    keys: a.keyId,
    offers: a.offerId,
    erasures: a.erasureId,
  };
  return path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    if (name === 'kind') return 'user_id';
    if (name === 'value') return encodeURIComponent(a.userId);
    if (name === 'profileId') return a.profileId;
    if (name === 'writeKey') return encodeURIComponent(a.writeKey);
    if (name === 'eventId') return String(a.quarantinedEventId);
    if (name === 'name' && section === 'placements') return a.placement;
    const id = section === undefined ? undefined : idOf[section];
    if (name === 'id' && id !== undefined) return encodeURIComponent(id);
    throw new Error(`no id of workspace A for {${name}} in ${path}: add one to pathFor`);
  });
}

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
export interface KeyedRoute {
  method: Method;
  path: string;
  scope: 'write' | 'read' | 'admin' | 'platform';
  /** Whether a browser-safe public key may call it (for its own identity). */
  publicKey: boolean;
}

/** The keyed routes of the live OpenAPI document, with the scope each needs. */
export async function keyedRoutes(t: TestApp): Promise<KeyedRoute[]> {
  const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
  const doc = res.json<{
    paths: Record<
      string,
      Record<
        string,
        {
          security: unknown[];
          responses: Record<string, { description: string }>;
          'x-public-key'?: string;
        }
      >
    >;
  }>();
  const out: KeyedRoute[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (op.security.length === 0) continue;
      const denied = op.responses['403']?.description ?? '';
      const scope = /platform/.test(denied)
        ? 'platform'
        : (/the (write|read|admin) scope/.exec(denied)?.[1] as KeyedRoute['scope'] | undefined);
      if (!scope) throw new Error(`${method} ${path}: no scope in its 403 response`);
      out.push({
        method: method.toUpperCase() as Method,
        path,
        scope,
        publicKey: op['x-public-key'] !== undefined,
      });
    }
  }
  return out;
}
