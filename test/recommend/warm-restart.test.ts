// Trained models are saved to the store: a process that starts on it serves them at once
// (no training), picks up newer trainings by their version, and trains instead when the
// saved bundle is damaged or of another format, without failing.
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, closeApp, type App } from '../../src/app/build-app.js';
import { runImport } from '../../src/importer/index.js';
import { BUNDLE_FORMAT_VERSION } from '../../src/recommend/bundle-codec.js';
import { buildServer } from '../../src/server/index.js';
import { ManualClock } from '../../src/shared/clock.js';
import { createTestApp, NO_RATE_LIMITS, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

const FILE = new URL('../fixtures/profiles/online-retail-customers.csv', import.meta.url).pathname;
const quiet = { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;
const SIX_HOURS = 6 * 3_600_000;
const QUERIES = [
  'userId=13047&limit=10',
  'userId=15291&limit=10',
  'strategy=popular&limit=10',
  'strategy=bought_together&itemId=22745&limit=10',
  'strategy=similar&itemId=22745&limit=10',
];

describe.each(STORE_KINDS)('warm restarts from saved models (%s)', (kind) => {
  let t: TestApp;
  const clock = new ManualClock(Date.UTC(2011, 5, 25));
  const warnings: Record<string, unknown>[] = [];
  const others: { ctx: App; app: FastifyInstance }[] = [];
  const logger = pino(
    { level: 'warn' },
    { write: (line: string) => warnings.push(JSON.parse(line) as Record<string, unknown>) },
  );
  /** Another process on the same store: its own services, server and memory. */
  const startAnother = async () => {
    const ctx = buildApp({ store: t.ctx.store, clock: t.clock, logger });
    const app = buildServer(ctx, { role: 'api', rateLimits: NO_RATE_LIMITS });
    await app.ready();
    others.push({ ctx, app });
    return { ctx, app };
  };
  const recs = async (app: FastifyInstance, query: string) => {
    const res = await app.inject({
      method: 'GET',
      url: `/v1/recommendations?${query}`,
      headers: { authorization: `Bearer ${t.keys.read}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    const { items } = res.json<{ items: unknown[] }>();
    return items;
  };
  const stored = () =>
    t.ctx.store.db.selectFrom('recommendation_models').selectAll().executeTakeFirstOrThrow();

  beforeAll(async () => {
    t = await createTestApp(kind, { clock });
    await runImport(
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
    const trained = await send(t, 'POST', '/v1/admin/recommendations/train', t.keys.admin);
    expect(trained.statusCode, trained.body).toBe(200);
  }, 120_000);
  afterAll(async () => {
    for (const o of others) {
      await o.app.close();
      await closeApp(o.ctx);
    }
    await t.close();
  });

  it('saves the training as version 1 of the workspace, in the current format', async () => {
    const row = await stored();
    expect(row).toMatchObject({ version: 1, format_version: BUNDLE_FORMAT_VERSION });
    expect(row.bundle?.byteLength).toBeGreaterThan(1000);
    expect(t.ctx.recommendations.versions('default')).toMatchObject([
      { version: 1, origin: 'trained', stored: 1, current: true },
    ]);
  });

  it('serves a second process the same recommendations at once, without training', async () => {
    const b = await startAnother();
    // Before its schedule runs it has nothing; the schedule's first round loads.
    expect(await recs(b.app, QUERIES[0]!)).toEqual([]);
    await b.ctx.recommendations.scheduled(['default'], SIX_HOURS);
    expect(b.ctx.recommendations.versions('default')).toMatchObject([
      { version: 1, origin: 'loaded', stored: 1, current: true },
    ]);
    for (const q of QUERIES) {
      const mine = await recs(t.app, q);
      expect(mine.length, q).toBeGreaterThan(0);
      expect(await recs(b.app, q), q).toEqual(mine);
    }
    // Nothing newer: another round neither loads nor trains.
    await b.ctx.recommendations.scheduled(['default'], SIX_HOURS);
    expect(b.ctx.recommendations.versions('default')).toHaveLength(1);
    // A training in the first process reaches the second through the store's version.
    await t.ctx.recommendations.train('default');
    expect((await stored()).version).toBe(2);
    await b.ctx.recommendations.follow();
    expect(b.ctx.recommendations.versions('default').find((v) => v.current)).toMatchObject({
      version: 2,
      origin: 'loaded',
      stored: 2,
    });
    // Once six hours have passed since that training, it trains again itself.
    clock.advance(SIX_HOURS);
    await b.ctx.recommendations.scheduled(['default'], SIX_HOURS);
    expect(b.ctx.recommendations.versions('default').find((v) => v.current)).toMatchObject({
      origin: 'trained',
      stored: 3,
    });
  });

  it.each([
    [
      'damaged bytes',
      () => Buffer.from('RPRECMOD\x01\x00\x00\x00\xff\xff\x00\x00{"bundle"', 'latin1'),
      /unreadable/,
    ],
    ['another format version', () => futureFormat(), /another format version/],
    ['not a bundle at all', () => Buffer.from('hello'), /unreadable/],
  ])('trains instead of loading %s, with a warning', async (_name, bytes, message) => {
    await t.ctx.store.db
      .updateTable('recommendation_models')
      .set((eb) => ({ bundle: bytes(), version: eb('version', '+', 1) }))
      .execute();
    const version = (await stored()).version;
    warnings.length = 0;
    const c = await startAnother();
    await c.ctx.recommendations.scheduled(['default'], SIX_HOURS);
    expect(warnings).toMatchObject([{ level: 40, workspace: 'default', stored: version }]);
    expect(String(warnings[0]!.msg)).toMatch(message);
    expect(c.ctx.recommendations.versions('default')).toMatchObject([
      { origin: 'trained', stored: version + 1, current: true },
    ]);
    expect((await recs(c.app, QUERIES[2]!)).length).toBeGreaterThan(0);
  });

  it('empties the saved models when a person in them is erased, and saves them again without', async () => {
    const profileId = (await send(t, 'GET', '/v1/profiles/user_id/13047', t.keys.read)).json<{
      id: string;
    }>().id;
    await t.ctx.recommendations.train('default');
    const before = await stored();
    expect(Buffer.from(before.bundle!).includes(profileId)).toBe(true);
    const erase = await send(t, 'DELETE', '/v1/profiles/user_id/13047', t.keys.admin);
    expect(erase.statusCode, erase.body).toBe(202);
    while (await t.ctx.erasure.step());
    const after = await stored();
    // Emptied (one version) and saved again by the erasing process's retraining (another).
    expect(after.version).toBe(before.version + 2);
    expect(after.bundle).not.toBeNull();
    expect(Buffer.from(after.bundle!).includes(profileId)).toBe(false);
  });
});

/** A bundle header claiming a format this build does not know. */
function futureFormat(): Buffer {
  const b = Buffer.alloc(64);
  b.write('RPRECMOD', 0, 'ascii');
  b.writeUInt32LE(BUNDLE_FORMAT_VERSION + 1, 8);
  return b;
}
