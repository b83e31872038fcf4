import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

const HEADER = [
  'profile_id',
  'user_id',
  'email',
  'name',
  'order_count',
  'revenue',
  'last_order_at',
  'lifecycle',
  'last_seen',
  'member_since',
];

describe.each(STORE_KINDS)('segment members as CSV (%s)', (kind) => {
  let t: TestApp;
  let segmentId: string;
  beforeEach(async () => {
    t = await createTestApp(kind);
    const people = [
      ['u-ada', 'ada@example.com', { first_name: 'Ada', last_name: 'Lovelace' }],
      ['u-eve', 'eve@example.com', { name: '=HYPERLINK("http://evil.test","Eve, \\"the\\" one")' }],
      ['u-bob', 'bob@example.com', { first_name: 'Bob' }],
    ] as const;
    let n = 0;
    for (const [userId, email, traits] of people) {
      const events = [
        {
          type: 'identify',
          userId,
          traits: { email, plan: userId === 'u-bob' ? 'free' : 'pro', ...traits },
        },
        {
          type: 'track',
          userId,
          event: 'Order Completed',
          properties: { order_id: `o-${userId}`, revenue: userId === 'u-ada' ? 120.5 : 10 },
        },
      ].map((e) => ({ ...e, messageId: `m-${++n}` }));
      const res = await send(t, 'POST', '/v1/batch', t.keys.write, { batch: events });
      expect(res.statusCode).toBe(200);
    }
    await t.ctx.profiles.drain();
    const seg = await send(t, 'POST', '/v1/segments', t.keys.admin, {
      name: 'Pro',
      definition: { trait: 'plan', eq: 'pro' },
    });
    expect(seg.statusCode).toBe(201);
    segmentId = seg.json<{ id: string }>().id;
    await t.ctx.segments.backfillAll();
  });
  afterEach(async () => {
    await t.close();
  });

  const csv = (query = '', key = t.keys.read) =>
    send(t, 'GET', `/v1/segments/${segmentId}/members.csv${query}`, key);

  it('streams one row per member with quoted, defused cells, and audits the export', async () => {
    const res = await csv();
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="segment-${segmentId}.csv"`,
    );
    expect(res.body.endsWith('\r\n')).toBe(true);
    const rows = parse<Record<string, string>>(res.body, { columns: true });
    expect(Object.keys(rows[0]!)).toEqual(HEADER);
    const byUser = new Map(rows.map((r) => [r.user_id, r]));
    expect([...byUser.keys()].sort()).toEqual(['u-ada', 'u-eve']);
    const ada = byUser.get('u-ada')!;
    expect(ada).toMatchObject({
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      order_count: '1',
      revenue: '120.5',
      lifecycle: 'new',
    });
    expect(ada.last_order_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(ada.member_since).toMatch(/^\d{4}-\d\d-\d\dT/);
    // A name that is a formula stays text: a leading quote, its comma and quotes kept.
    expect(byUser.get('u-eve')!.name).toBe('\'=HYPERLINK("http://evil.test","Eve, \\"the\\" one")');

    const audit = await send(t, 'GET', '/v1/admin/audit?action=segment.export', t.keys.admin);
    expect(audit.statusCode, audit.body).toBe(200);
    const entries = audit.json<{ entries: { action: string; target: { id: string } }[] }>().entries;
    expect(entries.map((e) => [e.action, e.target.id])).toEqual([['segment.export', segmentId]]);
  });

  it('stops at the row limit', async () => {
    const res = await csv('?limit=1');
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-rapport-row-limit']).toBe('1');
    expect(parse(res.body)).toHaveLength(2);
  });

  it('reads a segment larger than a page in id order, each member once', async () => {
    const batch = Array.from({ length: 520 }, (_, i) => ({
      type: 'identify',
      userId: `bulk-${String(i).padStart(3, '0')}`,
      messageId: `bulk-${i}`,
      traits: { plan: 'pro' },
    }));
    expect((await send(t, 'POST', '/v1/batch', t.keys.write, { batch })).statusCode).toBe(200);
    await t.ctx.profiles.drain();
    const all = parse<Record<string, string>>((await csv()).body, { columns: true });
    expect(all).toHaveLength(522);
    expect(new Set(all.map((r) => r.profile_id)).size).toBe(522);
    const ids = all.map((r) => r.profile_id);
    expect(ids).toEqual([...ids].sort());
    const cut = parse<Record<string, string>>((await csv('?limit=510')).body, { columns: true });
    expect(cut.map((r) => r.profile_id)).toEqual(ids.slice(0, 510));
  });

  it('answers 400 naming the field, 404 for an unknown segment, 401 without a key', async () => {
    for (const bad of ['?limit=0', '?limit=abc', '?limit=2000000']) {
      const res = await csv(bad);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details[0].path).toBe('query.limit');
    }
    const missing = await send(t, 'GET', '/v1/segments/nope/members.csv', t.keys.read);
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/json');
    const anonymous = await t.app.inject({
      method: 'GET',
      url: `/v1/segments/${segmentId}/members.csv`,
    });
    expect(anonymous.statusCode).toBe(401);
    const write = await csv('', t.keys.write);
    expect(write.statusCode).toBe(403);
  });
});
