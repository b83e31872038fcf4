// The recommendations answer does not wait for its trace record: records are batched off
// the request path, trimmed per person, and a failing batch is reported, never thrown.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExposureLog } from '../../src/measurement/index.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../helpers/stores.js';

const T0 = Date.UTC(2026, 10, 1, 12);
const shown = (n: number) => ({
  request: { strategy: 'popular', n },
  items: [
    {
      itemId: `i${n}`,
      title: null,
      strategy: 'popular',
      reason: { code: 'popular', text: 'Popular' },
    },
  ],
});

describe.each(STORE_KINDS)('exposure log (%s)', (kind) => {
  let t: TestStore;
  let errors: unknown[];
  let log: ExposureLog;
  beforeEach(async () => {
    t = await openTestStore(kind);
    errors = [];
    log = new ExposureLog(t.store, (e) => errors.push(e));
  });
  afterEach(async () => {
    await log.flush();
    await t.cleanup();
  });

  const count = async (profileId: string) =>
    (
      await t.store.db
        .selectFrom('recommendation_exposures')
        .select(['served_at'])
        .where('profile_id', '=', profileId)
        .orderBy('served_at')
        .execute()
    ).map((r) => r.served_at);

  it('writes a burst in batches and keeps each person’s newest 200', async () => {
    for (let i = 0; i < 250; i++) log.record('default', 'ann', shown(i), T0 + i);
    for (let i = 0; i < 3; i++) log.record('default', 'bob', shown(i), T0 + i);
    // Nothing written yet: the requests that recorded them have already answered.
    expect(await count('ann')).toEqual([]);
    await log.flush();
    const ann = await count('ann');
    expect(ann).toHaveLength(200);
    expect(ann[0]).toBe(T0 + 50);
    expect(ann.at(-1)).toBe(T0 + 249);
    expect(await count('bob')).toHaveLength(3);
    expect(errors).toEqual([]);
  });

  it('reports a failed batch and goes on with the next', async () => {
    await sql`ALTER TABLE recommendation_exposures RENAME TO exposures_away`.execute(t.store.db);
    log.record('default', 'ann', shown(1), T0);
    await log.flush();
    expect(errors).toHaveLength(1);
    await sql`ALTER TABLE exposures_away RENAME TO recommendation_exposures`.execute(t.store.db);
    log.record('default', 'ann', shown(2), T0 + 1);
    await log.flush();
    expect(await count('ann')).toEqual([T0 + 1]);
  });
});
