import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildProfiles } from '../../src/profiles/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 8, 1);

/** Events of a few people, each with a user id and an anonymous id linked by identify. */
const personEvents = (p: number) =>
  fc
    .array(
      fc.oneof(
        fc.record({
          type: fc.constant('track'),
          event: fc.constant('Product Viewed'),
          anon: fc.boolean(),
          day: fc.integer({ min: 0, max: 60 }),
          properties: fc.record({
            product_id: fc.constantFrom('a', 'b', 'c'),
            category: fc.constantFrom('shoes', 'hats', 'bags'),
            brand: fc.constantFrom('Acme', 'Zed'),
          }),
        }),
        fc.record({
          type: fc.constant('track'),
          event: fc.constant('Order Completed'),
          anon: fc.constant(false),
          day: fc.integer({ min: 0, max: 60 }),
          properties: fc.record({
            order_id: fc.integer({ min: 1, max: 6 }).map((i) => `o-${p}-${i}`),
            revenue: fc.integer({ min: 1, max: 300 }),
          }),
        }),
        fc.record({
          type: fc.constant('identify'),
          anon: fc.constant(false),
          day: fc.integer({ min: 0, max: 60 }),
          traits: fc.record({
            plan: fc.constantFrom('free', 'pro', null),
            age: fc.integer({ min: 18, max: 90 }),
          }),
        }),
        fc.record({
          type: fc.constant('page'),
          anon: fc.boolean(),
          day: fc.integer({ min: 0, max: 60 }),
          name: fc.constantFrom('Home', 'Sale'),
        }),
      ),
      { minLength: 1, maxLength: 12 },
    )
    .map((events) => [
      // The link between the two ids, somewhere in the stream.
      { type: 'identify', anon: 'both', day: 30, traits: {} },
      ...events,
    ]);

const streams = fc.tuple(personEvents(0), personEvents(1), personEvents(2));

function toSegment(people: Record<string, unknown>[][]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  people.forEach((events, p) => {
    events.forEach((e, i) => {
      const { anon, day, ...rest } = e as { anon: boolean | 'both'; day: number };
      out.push({
        ...rest,
        messageId: `p${p}-e${i}`,
        ...(anon === 'both'
          ? { userId: `user-${p}`, anonymousId: `anon-${p}` }
          : anon
            ? { anonymousId: `anon-${p}` }
            : { userId: `user-${p}` }),
        timestamp: new Date(T0 + day * DAY + i * 1000).toISOString(),
      });
    });
  });
  return out;
}

describe.each(STORE_KINDS)('profiles are independent of arrival order (%s)', (kind) => {
  let t: TestApp;
  let run = 0;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t.close();
  });

  /** Ingests the events in the given order and chunking into a fresh workspace. */
  async function ingest(
    events: Record<string, unknown>[],
    chunks: number[],
  ): Promise<Map<string, string>> {
    const ws = `ws-${++run}`;
    await t.ctx.store.db
      .insertInto('workspaces')
      .values({ id: ws, name: ws, created_at: 0 })
      .execute();
    let i = 0;
    for (const size of [...chunks, events.length]) {
      const part = events.slice(i, i + Math.max(1, size));
      if (part.length === 0) break;
      i += part.length;
      await t.ctx.ingest.ingestBatch(ws, { batch: part }, JSON.stringify({ batch: part }));
      // Sometimes process between chunks, sometimes let several chunks queue up.
      if (size % 2 === 0) await t.ctx.profiles.drain();
    }
    await t.ctx.profiles.drain();
    const rows = await t.ctx.store.db
      .selectFrom('identities')
      .innerJoin('profiles', 'profiles.id', 'identities.profile_id')
      .select(['identities.value', 'profiles.facts'])
      .where('identities.workspace_id', '=', ws)
      .where('identities.kind', '=', 'user_id')
      .execute();
    const rebuilt = await rebuildProfiles(t.ctx.store, t.clock, ws, { dryRun: true });
    expect(rebuilt.changed).toEqual([]);
    return new Map(rows.map((r) => [r.value, r.facts]));
  }

  it('gives byte-identical facts for any arrival order and batching, equal to a rebuild', async () => {
    await fc.assert(
      fc.asyncProperty(
        streams,
        fc.infiniteStream(fc.nat()),
        fc.array(fc.integer({ min: 1, max: 6 }), { maxLength: 6 }),
        async (people, randoms, chunks) => {
          const events = toSegment(people);
          const reference = await ingest(events, []);
          const shuffled = [...events];
          const it = randoms[Symbol.iterator]();
          for (let i = shuffled.length - 1; i > 0; i--) {
            const j = it.next().value % (i + 1);
            [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
          }
          const other = await ingest(shuffled, chunks);
          expect(other).toEqual(reference);
          expect(reference.size).toBe(3);
        },
      ),
      { numRuns: kind === 'sqlite' ? 25 : 12 },
    );
  });
});
