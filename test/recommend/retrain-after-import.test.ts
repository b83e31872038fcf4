import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../../src/importer/run-import.js';
import { RecommendationService } from '../../src/recommend/serving/service.js';
import { ManualClock } from '../../src/shared/clock.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

const FILE = new URL('../fixtures/profiles/online-retail-customers.csv', import.meta.url).pathname;
const quiet = { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;

describe.each(STORE_KINDS)('recommendations retrain after a large import (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind, { clock: new ManualClock(Date.UTC(2011, 5, 25)) });
  });
  afterAll(async () => {
    await t.close();
  });

  it('asks for a training once the log grew past the threshold, and not after it trained', async () => {
    // Another process's import: this service never sees its events one by one.
    const service = new RecommendationService(t.ctx.store, t.clock, undefined, {
      retrainAfterEvents: 150,
    });
    expect(await service.grewSinceTraining('default')).toBe(false);
    const first = await service.train('default');
    expect(first.interactions).toBe(0);
    expect(await service.grewSinceTraining('default')).toBe(false);
    const summary = await runImport(
      {
        store: t.ctx.store,
        writer: t.ctx.writer,
        processor: t.ctx.profiles,
        models: t.ctx.models,
        clock: t.clock,
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
    expect(summary.events).toBeGreaterThan(150);
    expect(await service.grewSinceTraining('default')).toBe(true);
    const second = await service.train('default');
    expect(second.interactions).toBeGreaterThan(500);
    expect(
      service.recommend('default', { userId: '15291', limit: 5 }).items.length,
    ).toBeGreaterThan(0);
    expect(await service.grewSinceTraining('default')).toBe(false);
  });

  it('does not retrain for a small import', async () => {
    const service = new RecommendationService(t.ctx.store, t.clock, undefined, {
      retrainAfterEvents: 1_000_000,
    });
    await service.train('default');
    expect(await service.grewSinceTraining('default')).toBe(false);
  });
});
