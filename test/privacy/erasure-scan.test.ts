import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';
import { BOB, EVE, scanRaw, scanTables, seedPeople } from './erasure-fixture.js';

const EVE_NEEDLES = [EVE.userId, EVE.anonymousId, EVE.email];
const BOB_NEEDLES = [BOB.userId, BOB.email];

async function eraseAndWait(t: TestApp, kind: string, value: string) {
  const res = await send(
    t,
    'DELETE',
    `/v1/profiles/${kind}/${encodeURIComponent(value)}`,
    t.keys.admin,
  );
  expect(res.statusCode, res.body).toBe(202);
  const { id } = res.json<{ id: string }>();
  while (await t.ctx.erasure.step());
  const job = await send(t, 'GET', `/v1/erasures/${id}`, t.keys.admin);
  expect(job.json()).toMatchObject({ id, status: 'done', step: 'done' });
  return job.json<{ id: string; removed: Record<string, number> }>();
}

describe.each(STORE_KINDS)('erasure leaves no trace of the person (%s)', (kind) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('finds none of their identifiers in any table or in the raw store, and leaves others be', async () => {
    t = await createTestApp(kind);
    await seedPeople(t);
    const before = await scanTables(t.ctx.store, [...EVE_NEEDLES, ...BOB_NEEDLES]);
    // The seed reaches every place a person lives: the scan would see it if it stayed.
    for (const table of [
      'events',
      'identities',
      'profiles',
      'messages',
      'rejected_events',
      'consent_statements',
      'suppressions',
      'push_subscriptions',
    ]) {
      expect(
        Object.keys(before).some((k) => k.startsWith(`${table}:`)),
        table,
      ).toBe(true);
    }
    const bobBefore = Object.fromEntries(
      Object.entries(before).filter(([k]) => BOB_NEEDLES.some((n) => k.endsWith(n))),
    );
    const runsBefore = await t.ctx.store.db
      .selectFrom('journey_runs')
      .select('profile_id')
      .execute();
    expect(runsBefore.length).toBe(2);

    const eveId = (await send(t, 'GET', `/v1/profiles/user_id/${EVE.userId}`, t.keys.read)).json<{
      id: string;
    }>().id;
    const audited = await t.ctx.store.db
      .selectFrom('audit_log')
      .select('id')
      .where('target_id', '=', eveId)
      .execute();
    expect(audited.length).toBeGreaterThanOrEqual(2);
    const job = await eraseAndWait(t, 'user_id', EVE.userId);
    // The audit log keeps the actions, not whom they were about.
    expect(
      await t.ctx.store.db
        .selectFrom('audit_log')
        .select('id')
        .where('target_id', '=', eveId)
        .execute(),
    ).toEqual([]);
    expect(await scanTables(t.ctx.store, [eveId])).toEqual({});
    expect(job.removed.events).toBeGreaterThanOrEqual(8);
    expect(job.removed.journey_runs).toBe(1);
    expect(job.removed.rejected_events).toBe(1);

    const after = await scanTables(t.ctx.store, [...EVE_NEEDLES, ...BOB_NEEDLES]);
    expect(Object.keys(after).filter((k) => EVE_NEEDLES.some((n) => k.endsWith(n)))).toEqual([]);
    const bobAfter = Object.fromEntries(
      Object.entries(after).filter(([k]) => BOB_NEEDLES.some((n) => k.endsWith(n))),
    );
    expect(bobAfter).toEqual(bobBefore);
    expect(
      await t.ctx.store.db.selectFrom('journey_runs').select('profile_id').execute(),
    ).toHaveLength(1);

    const raw = scanRaw(t.ctx.store, t.testStore, EVE_NEEDLES);
    expect(raw.found, raw.scanned.join(', ')).toEqual({});
    expect(
      Object.keys(scanRaw(t.ctx.store, t.testStore, BOB_NEEDLES).found).length,
    ).toBeGreaterThan(0);
    if (kind === 'sqlite') {
      t.ctx.store.sqlite!.pragma('wal_checkpoint(TRUNCATE)');
      expect(scanRaw(t.ctx.store, t.testStore, EVE_NEEDLES).found).toEqual({});
    }

    // Gone from the API too; the export and a second erasure find nobody new.
    expect(
      (await send(t, 'GET', `/v1/profiles/user_id/${EVE.userId}`, t.keys.read)).statusCode,
    ).toBe(404);
    expect(
      (await send(t, 'GET', `/v1/profiles/email/${EVE.email}/export`, t.keys.read)).statusCode,
    ).toBe(404);
    const again = await send(t, 'DELETE', `/v1/profiles/user_id/${EVE.userId}`, t.keys.admin);
    expect(again.statusCode).toBe(202);
    expect(again.json()).toMatchObject({ id: job.id, status: 'done' });
  }, 120_000);

  it('answers 404 for an unknown person, and 400 for a bad kind', async () => {
    t = await createTestApp(kind);
    const res = await send(t, 'DELETE', '/v1/profiles/user_id/nobody', t.keys.admin);
    expect(res.statusCode).toBe(404);
    expect(
      (await send(t, 'GET', '/v1/profiles/user_id/nobody/export', t.keys.read)).statusCode,
    ).toBe(404);
    expect((await send(t, 'GET', '/v1/erasures/era_nope', t.keys.admin)).statusCode).toBe(404);
    const bad = await send(t, 'DELETE', '/v1/profiles/shoe_size/42', t.keys.admin);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('kind');
    expect((await send(t, 'DELETE', '/v1/profiles/user_id/x', t.keys.read)).statusCode).toBe(403);
  }, 120_000);
});
