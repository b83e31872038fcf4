import { createECDH, randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { PipelineStage } from '../../src/profiles/index.js';
import { workspaceSecrets } from '../../src/workspaces/index.js';
import { send, type TestApp } from './app.js';

/**
 * Workspace A of the isolation tests: the default workspace of a test app, holding one
 * of everything. Its values all carry MARKER, so a response of another workspace that
 * shows any of them is caught by a plain text search; its generated ids and secrets are
 * listed too, for the responses that must not even name them.
 */
export const MARKER = 'zebraa';
export const POISON = 'a-poison';

export interface WorkspaceA {
  userId: string;
  profileId: string;
  segmentId: string;
  journeyId: string;
  templateId: string;
  experimentId: string;
  itemId: string;
  offerId: string;
  placement: string;
  keyId: string;
  /** A's write key, for routes that take the key in their path (SDK settings). */
  writeKey: string;
  quarantinedEventId: number;
  /** An erasure job of A's (of another person than `userId`). */
  erasureId: string;
  /** Strings no response to another workspace's key may contain, whatever its status. */
  secrets: string[];
  /** Generated ids of A, which no success response to another workspace may contain. */
  ids: string[];
}

/** A stage that fails on A's poison event, so A has a quarantined event to aim at. */
export const failOnPoison: PipelineStage = {
  name: 'poison',
  run: async (_tx, changes) => {
    if (changes.some((c) => c.events.some((e) => e.messageId === POISON))) {
      throw new Error('poisoned on purpose');
    }
    return changes;
  },
};

/** A web-push subscription with real P-256 keys. */
export function pushSubscription(endpoint: string) {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return {
    endpoint,
    keys: {
      p256dh: ecdh.getPublicKey().toString('base64url'),
      auth: randomBytes(16).toString('base64url'),
    },
  };
}

async function ok(
  t: TestApp,
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  key: string,
  body?: unknown,
) {
  const res = await send(t, method, url, key, body);
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
  return res.json<Record<string, unknown>>();
}

/** Fills the default workspace of `t` with one of everything, all through the API. */
export async function seedWorkspaceA(t: TestApp): Promise<WorkspaceA> {
  const { write, read, admin } = t.keys;
  const userId = 'u-alpha';
  const at = new Date(t.clock.now() - 60_000).toISOString();
  await ok(t, 'POST', '/v1/batch', write, {
    batch: [
      {
        type: 'identify',
        messageId: 'a-1',
        userId,
        timestamp: at,
        traits: { name: `${MARKER} Person`, email: `${MARKER}@example.com`, plan: 'pro' },
      },
      {
        type: 'track',
        messageId: 'a-2',
        userId,
        timestamp: at,
        event: 'Product Viewed',
        properties: { product_id: 'item-alpha', category: `${MARKER}-cat` },
      },
      { type: 'identify', messageId: POISON, userId: 'u-alpha-2', timestamp: at, traits: {} },
      { type: 'identify', messageId: 'a-gone', userId: 'u-alpha-gone', timestamp: at, traits: {} },
    ],
  });
  // Settle: fold the events (the poison one fails alone until it is quarantined).
  for (let i = 0; i < 10 && (await t.ctx.profiles.drain()) > 0; i++);
  await ok(t, 'PUT', '/v1/catalog/items', write, {
    items: [
      { id: 'item-alpha', title: `${MARKER} shoe`, categories: [`${MARKER}-cat`], price: 10 },
    ],
  });
  const segment = await ok(t, 'POST', '/v1/segments', admin, {
    name: `${MARKER} pros`,
    definition: { trait: 'plan', eq: 'pro' },
  });
  await ok(t, 'POST', '/v1/templates', admin, {
    id: 'alpha-tpl',
    name: `${MARKER} template`,
    channel: 'email',
    subject: `${MARKER} subject`,
    html: `<p>${MARKER}</p>`,
  });
  const journey = await ok(t, 'POST', '/v1/journeys', admin, {
    definition: {
      name: `${MARKER} journey`,
      trigger: { type: 'api' },
      start: 'ping',
      steps: [
        { id: 'ping', type: 'webhook', url: `https://${MARKER}.example/hook`, next: 'done' },
        { id: 'done', type: 'exit' },
      ],
    },
  });
  await ok(t, 'POST', '/v1/experiments', admin, {
    id: 'alpha-experiment',
    kind: 'template',
    subjectId: 'alpha-tpl',
    name: `${MARKER} experiment`,
    arms: [
      { name: 'a', weight: 1 },
      { name: 'b', weight: 1, variant: `${MARKER}-variant` },
    ],
    controlArm: 'a',
  });
  await ok(t, 'PUT', '/v1/admin/settings', admin, {
    webhook: { url: `https://${MARKER}.example/settings` },
    email: { from: `${MARKER}@example.com` },
    cors: { allowedOrigins: [`https://${MARKER}.example`] },
  });
  await ok(t, 'POST', '/v1/offers', admin, {
    id: 'alpha-offer',
    name: `${MARKER} offer`,
    kind: 'discount_code',
    codes: true,
    content: { email: { title: `${MARKER} title` } },
  });
  await ok(t, 'POST', '/v1/offers/alpha-offer/codes', admin, { codes: [`${MARKER}-CODE`] });
  await ok(t, 'POST', '/v1/placements', admin, {
    name: 'alpha_hero',
    candidates: ['alpha-offer'],
    default: 'alpha-offer',
    policy: { kind: 'fixed' },
  });
  const rotated = await ok(t, 'POST', '/v1/admin/webhook-secret/rotate', admin, {});
  await ok(t, 'PUT', `/v1/profiles/user_id/${userId}/consent`, write, { email: 'granted' });
  await ok(t, 'POST', '/v1/push/subscriptions', write, {
    userId,
    subscription: pushSubscription(`https://push.example/${MARKER}`),
  });
  await ok(t, 'POST', `/v1/journeys/${String(journey.id)}/trigger`, write, { userId });
  // The trigger is an event: folding it runs the journey, which queues the webhook message.
  for (let i = 0; i < 10 && (await t.ctx.profiles.drain()) > 0; i++);
  await ok(t, 'POST', '/v1/admin/recommendations/train', admin);
  await ok(t, 'POST', '/v1/admin/recommendations/train', admin);

  const erasure = await send(t, 'DELETE', '/v1/profiles/user_id/u-alpha-gone', admin);
  expect(erasure.statusCode, erasure.body).toBe(202);
  const erasureId = erasure.json<{ id: string }>().id;
  const profile = await ok(t, 'GET', `/v1/profiles/user_id/${userId}`, read);
  const decision = await ok(t, 'POST', '/v1/decide', read, { placement: 'alpha_hero', userId });
  const quarantine = await ok(t, 'GET', '/v1/admin/quarantine', admin);
  const quarantined = quarantine.quarantined as { eventId: number }[];
  expect(quarantined).toHaveLength(1);
  // The key B's calls aim at: not one of the test app's, which later tests still use.
  const spare = await ok(t, 'POST', '/v1/admin/keys', admin, { scope: 'read', name: 'spare' });
  const keys = (await ok(t, 'GET', '/v1/admin/keys', admin)).keys as { id: string }[];
  const messages = (await ok(t, 'GET', '/v1/messages', read)).messages as { id: string }[];
  expect(messages.length).toBeGreaterThan(0);
  const secrets = await workspaceSecrets(t.ctx.store.db, t.clock, 'default');
  const vapid = await ok(t, 'GET', '/v1/push/vapid-public-key', write);
  return {
    userId,
    profileId: String(profile.id),
    segmentId: String(segment.id),
    journeyId: String(journey.id),
    templateId: 'alpha-tpl',
    experimentId: 'alpha-experiment',
    itemId: 'item-alpha',
    offerId: 'alpha-offer',
    placement: 'alpha_hero',
    keyId: String(spare.id),
    writeKey: t.keys.write,
    quarantinedEventId: quarantined[0]!.eventId,
    erasureId,
    secrets: [
      MARKER,
      String(rotated.secret),
      String(rotated.fingerprint),
      secrets.linkSecret,
      String(vapid.publicKey),
      t.keys.write,
      t.keys.read,
      t.keys.admin,
    ],
    ids: [
      String(profile.id),
      String(segment.id),
      String(journey.id),
      ...keys.map((k) => k.id),
      ...messages.map((m) => m.id),
      String(decision.decisionId),
      erasureId,
    ],
  };
}

/**
 * Every stored row of workspace A, table by table, found by introspection so a new
 * table is covered without listing it. A table without a workspace column is taken
 * whole: another workspace may add rows to it, never change or remove A's.
 */
export async function snapshotRows(
  t: TestApp,
): Promise<Map<string, { own: boolean; rows: string[] }>> {
  const db = t.ctx.store.db;
  const tables = await db.introspection.getTables();
  const out = new Map<string, { own: boolean; rows: string[] }>();
  for (const table of tables) {
    if (table.name.startsWith('kysely_')) continue;
    const columns = table.columns.map((c) => c.name);
    const column = table.name === 'workspaces' ? 'id' : 'workspace_id';
    const own = columns.includes(column);
    // Cast: introspection names tables that the typed Database interface cannot know.
    const query = (
      db as unknown as import('kysely').Kysely<Record<string, Record<string, unknown>>>
    )
      .selectFrom(table.name)
      .selectAll();
    const rows = own ? await query.where(column, '=', 'default').execute() : await query.execute();
    out.set(table.name, { own, rows: rows.map((r) => JSON.stringify(r)).sort() });
  }
  return out;
}
