import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../../src/importer/run-import.js';
import { ModelCache } from '../../src/profiles/model-cache.js';
import { ensureBuiltIns, recomputeSegments } from '../../src/segments/index.js';
import { ManualClock } from '../../src/shared/clock.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

const FILE = new URL('../fixtures/profiles/online-retail-customers.csv', import.meta.url).pathname;
const quiet = { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;
const DAY = 86_400_000;

describe.each(STORE_KINDS)('built-in RFM segments follow the model refit (%s)', (kind) => {
  let t: TestApp;
  let clock: ManualClock;
  const check = (models: ModelCache) =>
    recomputeSegments(t.ctx.store, clock, t.ctx.segmentRegistry, models, 'default', {
      repair: false,
    });
  beforeAll(async () => {
    clock = new ManualClock(Date.UTC(2011, 5, 25));
    t = await createTestApp(kind, { clock });
    await ensureBuiltIns(t.ctx.store.db, clock, 'default');
    await runImport(
      {
        store: t.ctx.store,
        writer: t.ctx.writer,
        processor: t.ctx.profiles,
        models: t.ctx.models,
        clock,
      },
      {
        kind: 'events',
        files: [FILE],
        workspaceId: 'default',
        preset: 'online-retail',
        mapping: new Map(),
        rejectsPath: '/dev/null',
        progress: quiet,
      },
    );
  });
  afterAll(async () => {
    await t.close();
  });

  it('leaves no difference for `segments recompute --check` right after an import', async () => {
    const result = await check(t.ctx.models);
    expect(result.segments).toBeGreaterThan(5);
    expect(result.profiles).toBe(21);
    expect(result.differences).toEqual([]);
    const members = await t.ctx.store.db
      .selectFrom('segment_members')
      .select('segment_id')
      .where('segment_id', 'like', 'rfm_%')
      .execute();
    expect(members.length).toBeGreaterThan(0);
  });

  it('moves people between RFM segments when a later refit changes the scores', async () => {
    clock.advance(200 * DAY);
    // A refit alone (a bare cache, no listener) leaves memberships stale: the check sees it.
    const bare = new ModelCache(t.ctx.store.db, clock);
    await bare.refresh('default');
    const stale = await check(bare);
    expect(stale.differences.length).toBeGreaterThan(0);
    // The app's cache refreshes the segments with its refit.
    await t.ctx.models.refresh('default');
    expect((await check(t.ctx.models)).differences).toEqual([]);
  });
});
