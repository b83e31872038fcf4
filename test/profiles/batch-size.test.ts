import { afterEach, describe, expect, it } from 'vitest';
import { ProfileProcessor, rebuildProfiles } from '../../src/profiles/index.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

const views = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    type: 'track',
    event: 'Product Viewed',
    userId: `u${i % 7}`,
    messageId: `m${i}`,
    properties: { product_id: `p${i % 5}` },
  }));

describe.each(STORE_KINDS)('profile batch size (%s)', (kind) => {
  let t: TestApp;
  afterEach(async () => {
    await t.close();
  });

  const pendingAfter = async (n: number) => {
    t = await createTestApp(kind);
    const res = await send(t, 'POST', '/v1/batch', t.keys.write, { batch: views(n) });
    expect(res.statusCode, res.body).toBe(200);
  };
  const sizes = async (p: ProfileProcessor) => {
    const out: number[] = [];
    for (let r = await p.processBatch(); r.events > 0; r = await p.processBatch())
      out.push(r.events);
    return out;
  };

  it('takes fewer events per transaction once events cost more than the target allows', async () => {
    await pendingAfter(100);
    // No event can fit a target of a nanosecond: after the first, unmeasured batch, each
    // takes the minimum.
    const p = new ProfileProcessor(t.ctx.store, t.clock, { batchSize: 50, targetBatchMs: 1e-6 });
    expect(await sizes(p)).toEqual([50, 20, 20, 10]);
    expect(await p.pendingCount()).toBe(0);
  });

  it('keeps the full batch size while events fit the target', async () => {
    await pendingAfter(100);
    const p = new ProfileProcessor(t.ctx.store, t.clock, { batchSize: 40, targetBatchMs: 1e9 });
    expect(await sizes(p)).toEqual([40, 40, 20]);
    expect(p.nextBatchSize()).toBe(40);
  });

  it('runs several profile workers at once (three on PostgreSQL): every event once, facts equal to a rebuild', async () => {
    t = await createTestApp(kind);
    const workers = t.ctx.loops.profiles;
    expect(workers).toHaveLength(kind === 'postgres' ? 3 : 1);
    // Ten people, each seen anonymously and then identified, in interleaved batches.
    const batch = Array.from({ length: 300 }, (_, i) => {
      const p = i % 10;
      return i < 100
        ? { type: 'page', anonymousId: `anon-${p}`, messageId: `m${i}`, properties: {} }
        : {
            type: 'track',
            event: i % 3 === 0 ? 'Order Completed' : 'Product Viewed',
            userId: `user-${p}`,
            ...(i < 150 ? { anonymousId: `anon-${p}` } : {}),
            messageId: `m${i}`,
            properties: { order_id: `o${i}`, revenue: i, product_id: `p${i % 4}` },
          };
    });
    expect((await send(t, 'POST', '/v1/batch', t.keys.write, { batch })).statusCode).toBe(200);
    const processors = [1, 2, 3].map(
      () => new ProfileProcessor(t.ctx.store, t.clock, { batchSize: 15 }),
    );
    const done = await Promise.all(processors.map((p) => p.drain()));
    expect(done.reduce((a, b) => a + b, 0)).toBe(300);
    expect(await processors[0]!.pendingCount()).toBe(0);
    const live = await t.ctx.store.db
      .selectFrom('profiles')
      .select('id')
      .where('merged_into', 'is', null)
      .execute();
    expect(live).toHaveLength(10);
    const rebuilt = await rebuildProfiles(t.ctx.store, t.clock, 'default', { dryRun: true });
    expect(rebuilt.changed).toEqual([]);
  });

  it('calls committed hooks once per committed batch, never for an attempt that rolled back', async () => {
    await pendingAfter(30);
    const seen: string[][] = [];
    let fail = true;
    const p = new ProfileProcessor(t.ctx.store, t.clock, {
      batchSize: 100,
      afterCommit: [
        (changes) => seen.push(changes.flatMap((c) => c.events.map((e) => e.messageId))),
      ],
      stages: [
        {
          name: 'fails once',
          run: (_tx, changes) => {
            if (!fail) return Promise.resolve(changes);
            fail = false;
            return Promise.reject(new Error('stage failed'));
          },
        },
      ],
    });
    // The failed attempt is rolled back and its events tried again (by halves, had the
    // retry failed too): the hook sees the one attempt that committed.
    expect((await p.processBatch()).events).toBe(30);
    expect(seen.map((s) => s.length)).toEqual([30]);
    expect(seen.flat().sort()).toEqual(
      views(30)
        .map((v) => v.messageId)
        .sort(),
    );
    expect(await p.pendingCount()).toBe(0);
  });
});
