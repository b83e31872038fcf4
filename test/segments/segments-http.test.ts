import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureBuiltIns } from '../../src/segments/index.js';
import { ManualClock } from '../../src/shared/clock.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

const DAY = 86_400_000;
const SHOE_BROWSERS = {
  name: 'Shoe browsers, not buyers',
  definition: {
    all: [
      {
        event: 'Product Viewed',
        where: { 'properties.category': { eq: 'shoes' } },
        count: { gte: 2 },
        within: 'P7D',
      },
      { not: { event: 'Order Completed', within: 'P7D' } },
    ],
  },
};

describe.each(STORE_KINDS)('segments (%s)', (kind) => {
  let t: TestApp;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 9, 1, 12));
    t = await createTestApp(kind, { clock });
  });
  afterEach(async () => {
    await t.close();
  });

  let n = 0;
  const track = async (
    userId: string,
    event: string,
    properties: Record<string, unknown> = {},
    extra = {},
  ) => {
    const res = await send(t, 'POST', '/v1/track', t.keys.write, {
      userId,
      event,
      properties,
      messageId: `m${++n}`,
      timestamp: new Date(clock.now()).toISOString(),
      ...extra,
    });
    expect(res.statusCode).toBe(200);
    await t.ctx.profiles.drain();
  };
  const settle = async () => {
    await t.ctx.profiles.drain();
    await t.ctx.segments.backfillAll();
    while (await t.ctx.segments.runDueChecks()) {
      // drain
    }
  };
  const members = async (id: string) =>
    (
      (await send(t, 'GET', `/v1/segments/${id}/members`, t.keys.read)).json().members as {
        profileId: string;
      }[]
    ).length;
  const logOf = async (userId: string) =>
    (
      (await send(t, 'GET', `/v1/events?userId=${userId}&limit=100`, t.keys.read)).json()
        .events as {
        event: string;
        payload: { properties: Record<string, unknown> };
      }[]
    ).filter((e) => e.event?.startsWith('Segment'));

  it('accepts the documented example and tracks a person in and out, by events and by time', async () => {
    const created = await send(t, 'POST', '/v1/segments', t.keys.admin, SHOE_BROWSERS);
    expect(created.statusCode).toBe(201);
    const seg = created.json();
    expect(seg).toMatchObject({ name: 'Shoe browsers, not buyers', kind: 'custom', version: 1 });
    await settle();

    await track('ada', 'Product Viewed', { category: 'shoes' });
    expect(await members(seg.id)).toBe(0);
    clock.advance(DAY);
    await track('ada', 'Product Viewed', { category: 'hats' });
    expect(await members(seg.id)).toBe(0);
    await track('ada', 'Product Viewed', { category: 'shoes' });
    expect(await members(seg.id)).toBe(1);
    const profile = (await send(t, 'GET', '/v1/profiles/user_id/ada', t.keys.read)).json();
    expect(profile.segments).toEqual([
      { id: seg.id, name: seg.name, since: new Date(clock.now()).toISOString() },
    ]);
    expect((await logOf('ada')).map((e) => [e.event, e.payload.properties])).toEqual([
      ['Segment Entered', { segment_id: seg.id, segment_name: 'Shoe browsers, not buyers' }],
    ]);

    // Buying takes her out at once.
    clock.advance(3_600_000);
    await track('ada', 'Order Completed', { order_id: 'o1', revenue: 80 });
    expect(await members(seg.id)).toBe(0);
    expect((await logOf('ada')).map((e) => e.event)).toEqual(['Segment Exited', 'Segment Entered']);

    // Bob enters, and leaves when the first view falls out of the week: a scheduled check.
    await track('bob', 'Product Viewed', { category: 'shoes' });
    clock.advance(2 * DAY);
    await track('bob', 'Product Viewed', { category: 'shoes' });
    expect(await members(seg.id)).toBe(1);
    clock.advance(5 * DAY - 1000);
    await settle();
    expect(await members(seg.id)).toBe(1);
    clock.advance(1000);
    await settle();
    expect(await members(seg.id)).toBe(0);
    expect((await logOf('bob')).map((e) => e.event)).toEqual(['Segment Exited', 'Segment Entered']);
  });

  it('accepts the simple forms and membership of other segments', async () => {
    const pro = (
      await send(t, 'POST', '/v1/segments', t.keys.admin, {
        name: 'Pro',
        definition: { trait: 'plan', eq: 'pro' },
      })
    ).json();
    const buyers = (
      await send(t, 'POST', '/v1/segments', t.keys.admin, {
        name: '3+ orders',
        definition: { computed: 'order_count', gte: 3 },
      })
    ).json();
    const both = await send(t, 'POST', '/v1/segments', t.keys.admin, {
      name: 'Pro buyers',
      definition: { all: [{ segment: pro.id }, { segment: buyers.id }] },
    });
    expect(both.statusCode).toBe(201);
    await settle();
    await send(t, 'POST', '/v1/identify', t.keys.write, { userId: 'cy', traits: { plan: 'pro' } });
    await settle();
    expect(await members(pro.id)).toBe(1);
    for (let i = 0; i < 3; i++)
      await track('cy', 'Order Completed', { order_id: `c${i}`, revenue: 10 });
    expect(await members(buyers.id)).toBe(1);
    expect(await members(both.json().id)).toBe(1);
    clock.advance(1000);
    await send(t, 'POST', '/v1/identify', t.keys.write, { userId: 'cy', traits: { plan: 'free' } });
    await settle();
    expect(await members(pro.id)).toBe(0);
    expect(await members(both.json().id)).toBe(0);
  });

  it('back-fills a new segment from history and previews before saving', async () => {
    for (const u of ['p1', 'p2', 'p3']) await track(u, 'Product Viewed', { category: 'shoes' });
    await track('p1', 'Product Viewed', { category: 'shoes' });
    await track('p2', 'Product Viewed', { category: 'shoes' });
    const preview = await send(t, 'POST', '/v1/segments/preview', t.keys.read, {
      definition: SHOE_BROWSERS.definition,
    });
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toMatchObject({ count: 2, profiles: 3 });
    expect(
      preview
        .json()
        .sample.map((s: { identities: { value: string }[] }) => s.identities[0]!.value)
        .sort(),
    ).toEqual(['p1', 'p2']);

    const seg = (await send(t, 'POST', '/v1/segments', t.keys.admin, SHOE_BROWSERS)).json();
    expect(seg.ready).toBe(false);
    await settle();
    const after = (await send(t, 'GET', `/v1/segments/${seg.id}`, t.keys.read)).json();
    expect(after).toMatchObject({ ready: true, members: 2 });
  });

  it('answers bad definitions with 400 and the path of each problem, cycles included', async () => {
    const bad = await send(t, 'POST', '/v1/segments', t.keys.admin, {
      name: 'Broken',
      definition: {
        all: [
          { event: 'X', within: 'P1M' },
          { trait: 'plan', eq: 'a', neq: 'b' },
          { computed: 'x', shout: 1 },
        ],
      },
    });
    expect(bad.statusCode).toBe(400);
    const paths = bad.json().error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual([
      'definition.all.0.within',
      'definition.all.1',
      'definition.all.2.shout',
    ]);

    const unknown = await send(t, 'POST', '/v1/segments', t.keys.admin, {
      name: 'Ref',
      definition: { segment: 'seg_nope' },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details[0].path).toBe('definition.segment');

    const a = (
      await send(t, 'POST', '/v1/segments', t.keys.admin, {
        name: 'A',
        definition: { trait: 'x', exists: true },
      })
    ).json();
    const b = (
      await send(t, 'POST', '/v1/segments', t.keys.admin, {
        name: 'B',
        definition: { segment: a.id },
      })
    ).json();
    const cycle = await send(t, 'PUT', `/v1/segments/${a.id}`, t.keys.admin, {
      name: 'A',
      definition: { segment: b.id },
    });
    expect(cycle.statusCode).toBe(400);
    expect(cycle.json().error.details[0].problem).toMatch(/cycle/i);
    expect((await send(t, 'DELETE', `/v1/segments/${a.id}`, t.keys.admin)).statusCode).toBe(409);
    expect((await send(t, 'DELETE', `/v1/segments/${b.id}`, t.keys.admin)).statusCode).toBe(204);
    expect((await send(t, 'GET', `/v1/segments/${b.id}`, t.keys.read)).statusCode).toBe(404);
    expect((await send(t, 'POST', '/v1/segments', t.keys.read, SHOE_BROWSERS)).statusCode).toBe(
      403,
    );
  });

  it('ships lifecycle and RFM segments, read-only, that place each customer in one RFM group', async () => {
    await ensureBuiltIns(t.ctx.store.db, clock, 'default');
    const list = (await send(t, 'GET', '/v1/segments', t.keys.read)).json().segments as {
      id: string;
      kind: string;
    }[];
    expect(
      list
        .filter((s) => s.kind === 'rfm')
        .map((s) => s.id)
        .sort(),
    ).toEqual(
      [
        'about_to_sleep',
        'at_risk',
        'cant_lose_them',
        'champions',
        'hibernating',
        'lost',
        'loyal',
        'need_attention',
        'new',
        'potential_loyalists',
        'promising',
      ]
        .map((k) => `rfm_${k}`)
        .sort(),
    );
    expect(list.filter((s) => s.kind === 'lifecycle')).toHaveLength(6);
    expect(
      (
        await send(t, 'PUT', '/v1/segments/rfm_champions', t.keys.admin, {
          name: 'x',
          definition: { trait: 'a', exists: true },
        })
      ).statusCode,
    ).toBe(409);

    for (let u = 0; u < 12; u++) {
      for (let o = 0; o <= u % 4; o++) {
        await track(
          `c${u}`,
          'Order Completed',
          { order_id: `c${u}-${o}`, revenue: 10 + u * 7 },
          {},
        );
      }
      clock.advance(DAY * 3);
    }
    await t.ctx.models.refresh('default');
    clock.advance(DAY + 1);
    await settle();
    const counts = await Promise.all(
      list.filter((s) => s.kind === 'rfm').map((s) => members(s.id)),
    );
    expect(counts.reduce((a, b) => a + b, 0)).toBe(12);
    const lifecycle = await Promise.all(
      list.filter((s) => s.kind === 'lifecycle').map((s) => members(s.id)),
    );
    expect(lifecycle.reduce((a, b) => a + b, 0)).toBe(12);
  });

  it('changes membership in the background within a second of the event', async () => {
    const live = await createTestApp(kind, { background: true });
    try {
      const seg = (
        await send(live, 'POST', '/v1/segments', live.keys.admin, {
          name: 'Pingers',
          definition: { event: 'Ping' },
        })
      ).json();
      await new Promise((r) => setTimeout(r, 100));
      const sent = Date.now();
      await send(live, 'POST', '/v1/track', live.keys.write, { userId: 'rt', event: 'Ping' });
      let count = 0;
      while (count === 0 && Date.now() - sent < 5000) {
        await new Promise((r) => setTimeout(r, 20));
        count = (await send(live, 'GET', `/v1/segments/${seg.id}/members`, live.keys.read)).json()
          .members.length;
      }
      expect(count).toBe(1);
    } finally {
      await live.close();
    }
  });
});
