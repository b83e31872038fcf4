// Two workers deciding at once, each over its own store connection (its own pool on
// PostgreSQL): no code is handed out twice, no person holds two, and no budget is
// overspent (issue #15). SQLite is one process with one writer (a second handle in the
// same thread would block it on the file lock), so there the two workers share the store
// and interleave on its connection.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DecisionService } from '../../src/decisions/index.js';
import { ModelCache } from '../../src/profiles/index.js';
import type { Store } from '../../src/store/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { reopenStore, STORE_KINDS } from '../helpers/stores.js';
import { offer, person, placement } from './fixtures.js';

const everyone = { personalized: true, deniedTopics: new Set<string>() };

describe.each(STORE_KINDS)('two workers (%s)', (kind) => {
  let t: TestApp;
  let second: Store;
  let workers: DecisionService[];
  beforeEach(async () => {
    t = await createTestApp(kind);
    second = kind === 'postgres' ? reopenStore(t.testStore) : t.ctx.store;
    workers = [t.ctx.store, second].map(
      (s) =>
        new DecisionService(s, t.clock, new ModelCache(s.db, t.clock), () =>
          Promise.resolve(everyone),
        ),
    );
    await offer(t, 'none', { kind: 'no_offer' });
  });
  afterEach(async () => {
    for (const w of workers) await w.close();
    if (second !== t.ctx.store) await second.close();
    await t.close();
  });

  const people = async (n: number) => {
    const ids = Array.from({ length: n }, (_, i) => `p${i}`);
    for (const id of ids) await person(t, id);
    return ids;
  };
  /** Every person asks both workers at once, twice over. */
  const storm = async (ids: string[]) =>
    (
      await Promise.all(
        ids.flatMap((userId, i) =>
          [0, 1, 2, 3].map((k) =>
            workers[(i + k) % 2]!.decide({ workspaceId: 'default', placement: 'hero', userId }),
          ),
        ),
      )
    ).map((d, j) => ({ ...d, userId: ids[Math.floor(j / 4)]! }));

  it('never hands out a code twice, and gives each person one code', async () => {
    await offer(t, 'coded', { codes: true, priority: 5 });
    await placement(t, 'hero', { candidates: ['coded'], default: 'none' });
    const codes = Array.from({ length: 15 }, (_, i) => `CODE-${i}`);
    await t.ctx.store.db
      .insertInto('offer_codes')
      .values(
        codes.map((code) => ({ workspace_id: 'default', offer_id: 'coded', code, imported_at: 0 })),
      )
      .execute();
    const ids = await people(20);
    const answers = await storm(ids);
    const holders = new Map<string, Set<string>>();
    for (const a of answers) {
      if (a.offer?.id !== 'coded') continue;
      const code = a.offer.code!;
      expect(code).toMatch(/^CODE-/);
      const set = holders.get(code) ?? new Set();
      set.add(a.userId);
      holders.set(code, set);
    }
    // 15 codes for 20 people: each code went to exactly one person, every code went out.
    expect(holders.size).toBe(15);
    for (const owners of holders.values()) expect(owners.size).toBe(1);
    const perPerson = new Map<string, Set<string>>();
    for (const a of answers)
      if (a.offer?.code)
        perPerson.set(a.userId, (perPerson.get(a.userId) ?? new Set()).add(a.offer.code));
    for (const held of perPerson.values()) expect(held.size).toBe(1);
    const rows = await t.ctx.store.db
      .selectFrom('offer_codes')
      .select(['code', 'profile_id'])
      .where('assigned_at', 'is not', null)
      .execute();
    expect(rows).toHaveLength(15);
    expect(new Set(rows.map((r) => r.profile_id)).size).toBe(15);
  });

  it('never spends past a count or a spend budget', async () => {
    await offer(t, 'counted', { priority: 9, budget: { count: 7 } });
    await offer(t, 'spent', { priority: 5, value: 10, budget: { spend: 45 } });
    await placement(t, 'hero', { candidates: ['counted', 'spent'], default: 'none' });
    const answers = await storm(await people(10));
    const shown = (id: string) => answers.filter((a) => a.offer?.id === id).length;
    expect(shown('counted')).toBe(7);
    expect(shown('spent')).toBe(4);
    expect(shown('none')).toBe(40 - 11);
    const offers = await t.ctx.store.db
      .selectFrom('offers')
      .select(['id', 'spent_count', 'spent_amount'])
      .orderBy('id')
      .execute();
    expect(offers.filter((o) => o.id !== 'none')).toEqual([
      { id: 'counted', spent_count: 7, spent_amount: 0 },
      { id: 'spent', spent_count: 4, spent_amount: 40 },
    ]);
  });
});
