import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

describe.each(STORE_KINDS)('profiles over HTTP (%s)', (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(kind);
  });
  afterEach(async () => {
    await t.close();
  });

  let n = 0;
  const ev = (e: Record<string, unknown>) => ({ messageId: `m-${++n}`, ...e });
  const batch = async (events: Record<string, unknown>[]) => {
    const res = await send(t, 'POST', '/v1/batch', t.keys.write, { batch: events.map(ev) });
    expect(res.statusCode).toBe(200);
    await t.ctx.profiles.drain();
  };
  const profile = async (kind: string, value: string) => {
    const res = await send(
      t,
      'GET',
      `/v1/profiles/${kind}/${encodeURIComponent(value)}`,
      t.keys.read,
    );
    return { status: res.statusCode, body: res.json() };
  };
  const at = (iso: string) => ({ timestamp: `2026-10-${iso}Z` });

  it('merges an anonymous history into the known person on identify', async () => {
    await batch([
      { type: 'page', anonymousId: 'anon-1', name: 'Home', ...at('01T10:00:00') },
      {
        type: 'track',
        anonymousId: 'anon-1',
        event: 'Product Viewed',
        properties: { product_id: 'p1', category: 'shoes' },
        ...at('01T10:01:00'),
      },
      {
        type: 'identify',
        userId: 'ada',
        traits: { email: 'Ada@Example.com', name: 'Ada' },
        ...at('01T11:00:00'),
      },
    ]);
    const before = await profile('anonymous_id', 'anon-1');
    const known = await profile('user_id', 'ada');
    expect(before.body.id).not.toBe(known.body.id);

    await batch([{ type: 'identify', userId: 'ada', anonymousId: 'anon-1', ...at('01T12:00:00') }]);
    const merged = await profile('anonymous_id', 'anon-1');
    const byUser = await profile('user_id', 'ada');
    const byEmail = await profile('email', 'ADA@example.com');
    expect(merged.body.id).toBe(byUser.body.id);
    expect(byEmail.body.id).toBe(byUser.body.id);
    expect(byUser.body.identities).toEqual({
      user_id: ['ada'],
      anonymous_id: ['anon-1'],
      email: ['ada@example.com'],
      phone: [],
    });
    expect(byUser.body.mergedFrom).toHaveLength(1);
    expect(byUser.body.computed.event_counts).toEqual({ 'Product Viewed': 1 });
    expect(byUser.body.traits).toMatchObject({ name: 'Ada', email: 'Ada@Example.com' });
    expect(byUser.body.recentEvents).toHaveLength(4);
    // The merged-away profile id still finds the person.
    const old = await profile('profile_id', before.body.id);
    expect(old.body.id).toBe(byUser.body.id);
  });

  it('merges on alias (previousId -> userId)', async () => {
    await batch([
      { type: 'track', anonymousId: 'visitor-9', event: 'Signed Up', ...at('02T09:00:00') },
      {
        type: 'track',
        userId: 'bob',
        event: 'Order Completed',
        properties: { order_id: 'o1', revenue: 10 },
        ...at('02T10:00:00'),
      },
      { type: 'alias', previousId: 'visitor-9', userId: 'bob', ...at('02T10:05:00') },
    ]);
    const bob = await profile('user_id', 'bob');
    const visitor = await profile('anonymous_id', 'visitor-9');
    expect(visitor.body.id).toBe(bob.body.id);
    expect(bob.body.computed.event_counts).toEqual({ 'Signed Up': 1, 'Order Completed': 1 });
    expect(bob.body.computed.order_count).toBe(1);
  });

  it('never merges through blocked values and keeps two users of one device apart', async () => {
    await batch([
      { type: 'identify', userId: 'alice', anonymousId: 'shared-device', ...at('03T09:00:00') },
      { type: 'identify', userId: 'carol', anonymousId: 'shared-device', ...at('03T09:30:00') },
      { type: 'track', userId: 'dave', anonymousId: 'null', event: 'A', ...at('03T10:00:00') },
      { type: 'track', userId: 'erin', anonymousId: 'null', event: 'B', ...at('03T10:00:00') },
      { type: 'track', anonymousId: 'undefined', event: 'Lost', ...at('03T10:00:00') },
    ]);
    const alice = await profile('user_id', 'alice');
    const carol = await profile('user_id', 'carol');
    expect(alice.body.id).not.toBe(carol.body.id);
    expect(alice.body.identities.anonymous_id).toEqual(['shared-device']);
    expect(carol.body.identities.anonymous_id).toEqual([]);
    expect((await profile('user_id', 'dave')).body.id).not.toBe(
      (await profile('user_id', 'erin')).body.id,
    );
    expect((await profile('anonymous_id', 'null')).status).toBe(404);
    const lost = await t.ctx.store.db
      .selectFrom('events')
      .select('profile_id')
      .where('event', '=', 'Lost')
      .executeTakeFirstOrThrow();
    expect(lost.profile_id).toBe('');
  });

  it('merges stated traits by event time, not arrival order, and unsets with null', async () => {
    await batch([
      {
        type: 'identify',
        userId: 'u',
        traits: { plan: 'pro', city: 'Oslo' },
        ...at('05T10:00:00'),
      },
      {
        type: 'identify',
        userId: 'u',
        traits: { plan: 'free', city: 'Bergen' },
        ...at('04T10:00:00'),
      },
      { type: 'identify', userId: 'u', traits: { city: null }, ...at('06T10:00:00') },
    ]);
    const u = await profile('user_id', 'u');
    expect(u.body.traits.plan).toBe('pro');
    expect(u.body.traits).not.toHaveProperty('city');
  });

  it('splits a wrong merge back with unmerge, re-deriving both people', async () => {
    await batch([
      {
        type: 'track',
        anonymousId: 'kiosk',
        event: 'Product Viewed',
        properties: { product_id: 'k1' },
        ...at('07T09:00:00'),
      },
      {
        type: 'track',
        anonymousId: 'kiosk',
        event: 'Product Viewed',
        properties: { product_id: 'k2' },
        ...at('07T09:01:00'),
      },
      {
        type: 'track',
        userId: 'frank',
        event: 'Order Completed',
        properties: { order_id: 'f1', revenue: 30 },
        ...at('07T10:00:00'),
      },
      { type: 'identify', userId: 'frank', anonymousId: 'kiosk', ...at('07T10:05:00') },
    ]);
    const merged = await profile('user_id', 'frank');
    expect(merged.body.computed.event_counts).toEqual({
      'Product Viewed': 2,
      'Order Completed': 1,
    });
    const [loser] = merged.body.mergedFrom as string[];

    const forbidden = await send(t, 'POST', `/v1/admin/profiles/${loser}/unmerge`, t.keys.read);
    expect(forbidden.statusCode).toBe(403);
    const res = await send(t, 'POST', `/v1/admin/profiles/${loser}/unmerge`, t.keys.admin);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      profileId: loser,
      splitFrom: merged.body.id,
      eventsMoved: 2,
    });
    // Recorded in the audit log, in the unmerge's transaction.
    const audit = await send(t, 'GET', '/v1/admin/audit?action=profile.unmerge', t.keys.admin);
    expect(audit.json().entries).toMatchObject([
      {
        action: 'profile.unmerge',
        target: { kind: 'profile', id: loser },
        before: { mergedInto: merged.body.id },
        after: { profileId: loser, eventsMoved: 2 },
      },
    ]);

    const frank = await profile('user_id', 'frank');
    const kiosk = await profile('anonymous_id', 'kiosk');
    expect(kiosk.body.id).toBe(loser);
    expect(frank.body.computed.event_counts).toEqual({ 'Order Completed': 1 });
    expect(frank.body.computed.order_count).toBe(1);
    expect(frank.body.mergedFrom).toEqual([]);
    expect(kiosk.body.computed.event_counts).toEqual({ 'Product Viewed': 2 });
    // The identify that linked them carries frank's user id, so it stays with frank.
    expect(frank.body.identities.anonymous_id).toEqual([]);

    const again = await send(t, 'POST', `/v1/admin/profiles/${loser}/unmerge`, t.keys.admin);
    expect(again.statusCode).toBe(409);
    const unknown = await send(t, 'POST', '/v1/admin/profiles/prf_nope/unmerge', t.keys.admin);
    expect(unknown.statusCode).toBe(404);
  });

  it('answers an unknown person with 404 and a bad kind with 400', async () => {
    const missing = await profile('user_id', 'nobody');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
    const bad = await profile('shoe_size', 'x');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('params.kind');
  });

  it('lists and searches profiles by identifier prefix, cursor-paged', async () => {
    await batch(
      Array.from({ length: 7 }, (_, i) => ({
        type: 'identify',
        userId: `list-${i}`,
        traits: { email: `person${i}@shop.test` },
        ...at('08T10:00:00'),
      })),
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await send(
        t,
        'GET',
        `/v1/profiles?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        t.keys.read,
      );
      const page: { profiles: { id: string }[]; nextCursor: string | null } = res.json();
      seen.push(...page.profiles.map((p) => p.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(7);
    const found = await send(t, 'GET', '/v1/profiles?q=PERSON3', t.keys.read);
    const body: { profiles: { identities: { kind: string; value: string }[] }[] } = found.json();
    expect(body.profiles).toHaveLength(1);
    expect(body.profiles[0]!.identities).toContainEqual({ kind: 'user_id', value: 'list-3' });
  });

  it('updates profiles in the background within moments of ingestion', async () => {
    const live = await createTestApp(kind, { background: true });
    try {
      await send(live, 'POST', '/v1/track', live.keys.write, { userId: 'rt', event: 'Ping' });
      let status = 0;
      for (let i = 0; i < 100 && status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 20));
        status = (await send(live, 'GET', '/v1/profiles/user_id/rt', live.keys.read)).statusCode;
      }
      expect(status).toBe(200);
    } finally {
      await live.close();
    }
  });
});
