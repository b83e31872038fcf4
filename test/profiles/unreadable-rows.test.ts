// Stored facts are decoded (a cheap shape check) wherever they are read. Facts are a fold
// of the person's events, so facts that do not decode are re-derived from the log: the
// profile stage and derived events store the refold, reads serve it, rebuild repairs it.
// A merge record whose identifiers do not decode cannot be undone, and says so.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  appendDerivedEvents,
  countQuarantined,
  findProfileId,
  rebuildProfiles,
} from '../../src/profiles/index.js';
import { refoldFacts } from '../../src/profiles/refold.js';
import { withTransaction } from '../../src/store/index.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

/** Kinds of damage: not JSON, the wrong version, a field of the wrong kind. */
const DAMAGE = [
  '{"version": 1, "first_seen": ',
  '{"version": 2}',
  '{"version": 1, "first_seen": null, "last_seen": null, "type_counts": {}}',
];

describe.each(STORE_KINDS)('facts that do not decode (%s)', (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(kind);
  });
  afterEach(async () => {
    await t.close();
  });

  let n = 0;
  const order = async (userId: string, revenue: number) => {
    const res = await send(t, 'POST', '/v1/track', t.keys.write, {
      userId,
      event: 'Order Completed',
      properties: { order_id: `o${++n}`, revenue },
      messageId: `f${n}`,
      timestamp: new Date(t.clock.now() - 3_600_000 + n).toISOString(),
    });
    expect(res.statusCode).toBe(200);
    await t.ctx.profiles.drain();
  };
  const profileOf = async (userId: string) =>
    (await findProfileId(t.ctx.store.db, 'default', 'user_id', userId))!;
  const damage = (profileId: string, text: string) =>
    t.ctx.store.db
      .updateTable('profiles')
      .set({ facts: text })
      .where('id', '=', profileId)
      .execute();
  const stored = async (profileId: string) =>
    (
      await t.ctx.store.db
        .selectFrom('profiles')
        .select('facts')
        .where('id', '=', profileId)
        .executeTakeFirstOrThrow()
    ).facts;
  const refolded = async (profileId: string) =>
    JSON.stringify(
      (await refoldFacts(t.ctx.store.db, 'default', [profileId])).get(profileId)!.facts,
    );

  it.each(DAMAGE)('the profile stage refolds them and folds the new event in: %s', async (text) => {
    await order('ada', 10);
    const ada = await profileOf('ada');
    await damage(ada, text);

    await order('ada', 32);

    expect(await countQuarantined(t.ctx.store.db)).toBe(0);
    expect(await stored(ada)).toBe(await refolded(ada));
    const view = (await send(t, 'GET', '/v1/profiles/user_id/ada', t.keys.read)).json();
    expect(view.computed).toMatchObject({ order_count: 2, revenue: 42 });
  });

  it('reads serve the refold; rebuild lists the profile and stores it', async () => {
    await order('bob', 10);
    await order('bob', 5);
    await order('cy', 7);
    const bob = await profileOf('bob');
    await damage(bob, DAMAGE[1]!);

    const view = await send(t, 'GET', '/v1/profiles/user_id/bob', t.keys.read);
    expect(view.statusCode).toBe(200);
    expect(view.json().computed).toMatchObject({ order_count: 2, revenue: 15 });
    // A read does not write.
    expect(await stored(bob)).toBe(DAMAGE[1]);

    const dry = await rebuildProfiles(t.ctx.store, t.clock, 'default', { dryRun: true });
    expect(dry.changed).toEqual([bob]);
    await rebuildProfiles(t.ctx.store, t.clock, 'default');
    expect(await stored(bob)).toBe(await refolded(bob));
    expect(
      (await rebuildProfiles(t.ctx.store, t.clock, 'default', { dryRun: true })).changed,
    ).toEqual([]);
  });

  it('a derived event on them stores the refold, with that event folded in once', async () => {
    await order('dee', 20);
    const dee = await profileOf('dee');
    await damage(dee, DAMAGE[0]!);

    const now = t.clock.now();
    const out = await withTransaction(t.ctx.store, (tx) =>
      appendDerivedEvents(
        tx,
        t.ctx.store.kind,
        'default',
        dee,
        [{ event: 'Segment Entered', timestamp: now, properties: { segment_id: 's1' } }],
        now,
      ),
    );

    expect(JSON.stringify(out.facts)).toBe(await refolded(dee));
    expect(await stored(dee)).toBe(await refolded(dee));
    expect(out.facts!.event_counts).toEqual([
      ['Order Completed', 1],
      ['Segment Entered', 1],
    ]);
  });

  it('refuses to undo a merge whose record of the moved identifiers is unreadable', async () => {
    // Two people, then an identify that joins them: one merge.
    await order('frank', 30);
    await send(t, 'POST', '/v1/track', t.keys.write, {
      anonymousId: 'kiosk',
      event: 'Viewed',
      messageId: 'kiosk-1',
    });
    await t.ctx.profiles.drain();
    await send(t, 'POST', '/v1/identify', t.keys.write, {
      userId: 'frank',
      anonymousId: 'kiosk',
      messageId: 'kiosk-2',
    });
    await t.ctx.profiles.drain();
    const merge = await t.ctx.store.db
      .selectFrom('profile_merges')
      .select(['id', 'loser_id'])
      .executeTakeFirstOrThrow();
    await t.ctx.store.db
      .updateTable('profile_merges')
      .set({ identities: '[{"kind": "fax", "value": "1"}]' })
      .where('id', '=', merge.id)
      .execute();

    const res = await send(t, 'POST', `/v1/admin/profiles/${merge.loser_id}/unmerge`, t.keys.admin);

    expect(res.statusCode).toBe(500);
    expect(res.json().error).toMatchObject({
      code: 'corrupt_data',
      details: [{ path: 'identities', problem: expect.stringMatching(/^0\.kind: /) }],
    });
    const after = await t.ctx.store.db
      .selectFrom('profile_merges')
      .select('undone_at')
      .where('id', '=', merge.id)
      .executeTakeFirstOrThrow();
    expect(after.undone_at).toBeNull();
    const loser = await t.ctx.store.db
      .selectFrom('profiles')
      .select('merged_into')
      .where('id', '=', merge.loser_id)
      .executeTakeFirstOrThrow();
    expect(loser.merged_into).not.toBeNull();
  });
});
