import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSegment,
  recomputeSegments,
  type SegmentDefinition,
} from '../../src/segments/index.js';
import { ManualClock } from '../../src/shared/clock.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

const HOUR = 3_600_000;

const eventLeaf: fc.Arbitrary<SegmentDefinition> = fc
  .record(
    {
      event: fc.constantFrom('A', 'B', 'Order Completed'),
      where: fc.constantFrom(1, 2).map((x) => ({ 'properties.x': { eq: x } })),
      count: fc.integer({ min: 1, max: 3 }).map((n) => ({ gte: n })),
      within: fc.constantFrom('PT12H', 'P1D', 'P3D'),
    },
    { requiredKeys: ['event'] },
  )
  .map((e) => e as SegmentDefinition);
const leaf: fc.Arbitrary<SegmentDefinition> = fc.oneof(
  eventLeaf,
  eventLeaf.map((e) => ({ not: e })),
  fc.constantFrom('pro', 'free').map((v) => ({ trait: 'plan', eq: v })),
  fc.integer({ min: 20, max: 60 }).map((v) => ({ trait: 'age', gte: v })),
  fc.integer({ min: 1, max: 2 }).map((v) => ({ computed: 'order_count', gte: v })),
);
const definition: fc.Arbitrary<SegmentDefinition> = fc.oneof(
  leaf,
  fc.array(leaf, { minLength: 2, maxLength: 3 }).map((all) => ({ all })),
  fc.array(leaf, { minLength: 2, maxLength: 3 }).map((any) => ({ any })),
);

const step = fc.record({
  advanceMs: fc.integer({ min: 0, max: 36 * HOUR }),
  /** How late the event arrives: its timestamp lies this far before now. */
  lateMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 48 * HOUR })),
  user: fc.constantFrom('u1', 'u2', 'u3'),
  kind: fc.constantFrom('A', 'B', 'Order Completed', 'identify'),
  x: fc.constantFrom(1, 2),
  plan: fc.constantFrom('pro', 'free'),
  age: fc.integer({ min: 18, max: 70 }),
});

describe.each(STORE_KINDS)(
  'incremental segment membership equals a full recompute (%s)',
  (kind) => {
    let t: TestApp;
    let clock: ManualClock;
    let run = 0;
    beforeAll(async () => {
      clock = new ManualClock(Date.UTC(2026, 0, 1));
      t = await createTestApp(kind, { clock });
    });
    afterAll(async () => {
      await t.close();
    });

    const settle = async () => {
      await t.ctx.profiles.drain();
      await t.ctx.segments.backfillAll();
      while (await t.ctx.segments.runDueChecks()) {
        // drain due checks
      }
    };

    it('for random definitions and random, late-arriving event streams', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(definition, { minLength: 1, maxLength: 3 }),
          fc.boolean(),
          fc.array(step, { minLength: 1, maxLength: 25 }),
          fc.integer({ min: 0, max: 96 * HOUR }),
          async (defs, withReference, steps, tail) => {
            const ws = `seg-ws-${++run}`;
            await t.ctx.store.db
              .insertInto('workspaces')
              .values({ id: ws, name: ws, created_at: 0 })
              .execute();
            const ids: string[] = [];
            for (const [i, d] of defs.entries()) {
              ids.push(
                (await createSegment(t.ctx.store.db, clock, ws, { name: `s${i}`, definition: d }))
                  .id,
              );
            }
            if (withReference) {
              await createSegment(t.ctx.store.db, clock, ws, {
                name: 'ref',
                definition: { any: [{ segment: ids[0]! }, { not: { segment: ids.at(-1)! } }] },
              });
            }
            await settle();
            let n = 0;
            for (const s of steps) {
              clock.advance(s.advanceMs);
              const timestamp = new Date(clock.now() - s.lateMs).toISOString();
              const event =
                s.kind === 'identify'
                  ? { type: 'identify', userId: s.user, traits: { plan: s.plan, age: s.age } }
                  : {
                      type: 'track',
                      userId: s.user,
                      event: s.kind,
                      properties: { x: s.x, order_id: `${ws}-${n}`, revenue: 5 },
                    };
              const value = { ...event, timestamp, messageId: `${ws}-${n++}` };
              await t.ctx.ingest.ingestOne(ws, event.type as 'track', value, JSON.stringify(value));
              await settle();
            }
            clock.advance(tail);
            await settle();
            const result = await recomputeSegments(
              t.ctx.store,
              clock,
              t.ctx.segmentRegistry,
              t.ctx.models,
              ws,
            );
            expect(result.differences).toEqual([]);
          },
        ),
        { numRuns: kind === 'sqlite' ? 30 : 12 },
      );
    });
  },
);
