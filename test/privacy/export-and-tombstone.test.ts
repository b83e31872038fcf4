import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';
import { suppressionsFor } from '../../src/messaging/consent-store.js';
import { mayContact, emptyConsents } from '../../src/privacy/index.js';
import { erasureHasher } from '../../src/workspaces/index.js';
import { EVE, seedPeople } from './erasure-fixture.js';

/** Where each table's rows about the person appear in the export bundle. */
const EXPORTED_AS: Record<string, (b: Record<string, unknown>) => number> = {
  events: (b) => (b.events as unknown[]).length,
  rejected_events: (b) => (b.rejectedEvents as unknown[]).length,
  quarantined_events: (b) => (b.quarantinedEvents as unknown[]).length,
  identities: (b) => (b.identities as unknown[]).length,
  profiles: (b) => (b.profiles as unknown[]).length,
  profile_merges: (b) => (b.merges as unknown[]).length,
  journey_runs: (b) => (b.journeyRuns as unknown[]).length,
  messages: (b) => (b.messages as unknown[]).length,
  message_events: (b) =>
    (b.messages as { history: unknown[] }[]).reduce((n, m) => n + m.history.length, 0),
  consents: (b) => (b.consents as unknown[]).length,
  consent_statements: (b) => (b.consentHistory as unknown[]).length,
  suppressions: (b) => (b.suppressions as unknown[]).length,
  push_subscriptions: (b) => (b.pushSubscriptions as unknown[]).length,
  segment_members: (b) => (b.segmentMemberships as unknown[]).length,
  audit_log: (b) => (b.auditEntries as unknown[]).length,
  recommendation_exposures: (b) => (b.recommendationsShown as unknown[]).length,
};
/**
 * Rows erasure removes that are not exported: scheduling state, its own, and the saved
 * recommendation models (derived from the events the export holds; docs/privacy.md).
 */
const NOT_EXPORTED = new Set([
  'segment_checks',
  'journey_schedules',
  'erasure_tombstones',
  'recommendation_models',
]);

async function erase(t: TestApp, value: string) {
  const res = await send(t, 'DELETE', `/v1/profiles/user_id/${value}`, t.keys.admin);
  expect(res.statusCode, res.body).toBe(202);
  while (await t.ctx.erasure.step());
  return (
    await send(t, 'GET', `/v1/erasures/${res.json<{ id: string }>().id}`, t.keys.admin)
  ).json<{
    status: string;
    removed: Record<string, number>;
  }>();
}

describe.each(STORE_KINDS)('export and what outlives an erasure (%s)', (kind) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('exports everything erasure removes', async () => {
    t = await createTestApp(kind);
    await seedPeople(t);
    const res = await send(t, 'GET', `/v1/profiles/user_id/${EVE.userId}/export`, t.keys.read);
    expect(res.statusCode, res.body).toBe(200);
    const bundle = res.json<Record<string, unknown>>();
    expect(bundle.traits).toMatchObject({ email: EVE.email, plan: 'pro' });
    expect(Object.keys(bundle.computedTraits as object).length).toBeGreaterThan(0);
    expect(JSON.stringify(bundle)).toContain(EVE.anonymousId);
    // The export is an admin action in the audit log, which names the profile, not the data.
    const entries = await t.ctx.store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'profile.export')
      .execute();
    expect(entries.length).toBe(2);
    expect(JSON.stringify(entries)).not.toContain(EVE.email);

    const job = await erase(t, EVE.userId);
    expect(job.status).toBe('done');
    const tables = Object.entries(job.removed).filter(
      ([table, n]) => n > 0 && !NOT_EXPORTED.has(table),
    );
    expect(tables.length).toBeGreaterThan(10);
    for (const [table, removed] of tables) {
      const count = EXPORTED_AS[table];
      expect(count, `${table} is erased but has no place in the export`).toBeDefined();
      // Suppressions: the export shows the address's; erasure also writes the hashed one.
      // Audit: the export's own entry is written after its bundle was made.
      const expected = table === 'suppressions' || table === 'audit_log' ? removed - 1 : removed;
      expect(count!(bundle), table).toBeGreaterThanOrEqual(expected);
    }
  }, 120_000);

  it('refuses later events naming the person, and keeps their "no" as a hash', async () => {
    t = await createTestApp(kind);
    await seedPeople(t);
    await erase(t, EVE.userId);
    const db = t.ctx.store.db;
    // The sender still refuses the address, though nothing names it in the clear.
    const hash = await erasureHasher(db, t.clock, 'default');
    const found = await suppressionsFor(db, 'default', 'email', EVE.email, hash);
    expect(found).toHaveLength(1);
    expect(
      mayContact(emptyConsents(), { channel: 'email', address: EVE.email, suppressions: found }),
    ).toMatchObject({ kind: 'refused', reason: 'suppressed' });
    expect(await suppressionsFor(db, 'default', 'email', 'someone.else@example.com', hash)).toEqual(
      [],
    );

    const events = async () => (await db.selectFrom('events').select('user_id').execute()).length;
    const n = await events();
    const post = (body: object) =>
      send(t, 'POST', '/v1/track', t.keys.write, { event: 'Product Viewed', ...body });
    expect((await post({ userId: EVE.userId, messageId: 'after-1' })).statusCode).toBe(200);
    expect((await post({ anonymousId: EVE.anonymousId, messageId: 'after-2' })).statusCode).toBe(
      200,
    );
    await t.ctx.profiles.drain();
    expect(await events()).toBe(n);
    expect(
      (await send(t, 'GET', `/v1/profiles/user_id/${EVE.userId}`, t.keys.read)).statusCode,
    ).toBe(404);

    // anonymize: the event stays, attributed to no one, with no identifier left in it.
    const settings = (await send(t, 'GET', '/v1/admin/settings', t.keys.admin)).json<
      Record<string, unknown>
    >();
    const put = await send(t, 'PUT', '/v1/admin/settings', t.keys.admin, {
      ...settings,
      privacy: { afterErasure: 'anonymize' },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(
      (
        await post({
          userId: EVE.userId,
          messageId: 'after-3',
          properties: { product_id: 'sku-1' },
        })
      ).statusCode,
    ).toBe(200);
    await t.ctx.profiles.drain();
    const kept = await db
      .selectFrom('events')
      .selectAll()
      .where('message_id', '=', 'after-3')
      .executeTakeFirstOrThrow();
    expect(kept).toMatchObject({ user_id: null, anonymous_id: null, profile_id: '' });
    expect(kept.raw).not.toContain(EVE.userId);
    expect(JSON.parse(kept.raw)).toMatchObject({
      event: 'Product Viewed',
      properties: { product_id: 'sku-1' },
    });
    const bad = await send(t, 'PUT', '/v1/admin/settings', t.keys.admin, {
      ...settings,
      privacy: { afterErasure: 'forget' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('privacy.afterErasure');
  }, 120_000);
});
