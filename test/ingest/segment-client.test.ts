import { Analytics } from '@segment/analytics-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

/** The real Segment Node client, pointed at a real socket: only the host changes. */
describe.each(STORE_KINDS)('@segment/analytics-node against Rapport (%s)', (kind) => {
  let t: TestApp;
  let host: string;
  beforeAll(async () => {
    t = await createTestApp(kind);
    host = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('delivers every call type and 1,000 batched events exactly once', async () => {
    const analytics = new Analytics({
      writeKey: t.keys.write,
      host,
      flushAt: 50,
      flushInterval: 200,
    });
    const errors: unknown[] = [];
    analytics.on('error', (e) => errors.push(e));

    analytics.identify({
      userId: 'ada',
      anonymousId: 'anon-ada',
      traits: { email: 'ada@example.com' },
    });
    analytics.track({ userId: 'ada', event: 'Signed Up', properties: { plan: 'pro' } });
    analytics.page({ userId: 'ada', name: 'Pricing', properties: { path: '/pricing' } });
    analytics.screen({ userId: 'ada', name: 'Home' });
    analytics.group({ userId: 'ada', groupId: 'acme', traits: { seats: 10 } });
    analytics.alias({ userId: 'ada', previousId: 'anon-ada' });
    for (let i = 0; i < 1000; i++) {
      analytics.track({ userId: `bulk-${i % 37}`, event: 'Bulk Event', properties: { seq: i } });
    }
    await analytics.closeAndFlush({ timeout: 20_000 });
    expect(errors).toEqual([]);

    const rows = await t.ctx.store.db
      .selectFrom('events')
      .select(['type', 'event', 'message_id', 'raw', 'user_id'])
      .execute();
    const byType = (type: string) => rows.filter((r) => r.type === type);
    for (const type of ['identify', 'page', 'screen', 'group', 'alias']) {
      expect(byType(type)).toHaveLength(1);
    }
    expect(byType('track').filter((r) => r.event === 'Signed Up')).toHaveLength(1);
    const bulk = rows.filter((r) => r.event === 'Bulk Event');
    expect(bulk).toHaveLength(1000);
    const seqs = new Set(
      bulk.map((r) => (JSON.parse(r.raw) as { properties: { seq: number } }).properties.seq),
    );
    expect(seqs.size).toBe(1000);
    expect(new Set(rows.map((r) => r.message_id)).size).toBe(rows.length);
    const alias = byType('alias')[0]!;
    expect(JSON.parse(alias.raw)).toMatchObject({ previousId: 'anon-ada', userId: 'ada' });
  });
});
