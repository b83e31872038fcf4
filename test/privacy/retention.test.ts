import { recordRecommendationExposure } from '../../src/measurement/recommendation-exposures.js';
import { EXPOSURES_PER_PERSON } from '../../src/measurement/recommendation-exposures.js';
import { afterEach, describe, expect, it } from 'vitest';
import { RETENTION_STEPS } from '../../src/app/personal-data.js';
import { RetentionRunner } from '../../src/erasure/index.js';
import { ManualClock } from '../../src/shared/clock.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

const DAY = 86_400_000;

describe.each(STORE_KINDS)('retention (%s)', (kind) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('deletes what is older than the workspace keeps, in batches, and keeps computed traits', async () => {
    const clock = new ManualClock(Date.UTC(2026, 9, 1, 12));
    t = await createTestApp(kind, { clock });
    const { write, admin, read } = t.keys;
    const track = (messageId: string, extra: object = {}) =>
      send(t, 'POST', '/v1/batch', write, {
        batch: [
          {
            type: 'track',
            userId: 'u-old',
            event: 'Order Completed',
            messageId,
            properties: { order_id: messageId, revenue: 40 },
            ...extra,
          },
          { type: 'track', messageId: `${messageId}-bad` },
        ],
      });
    await send(t, 'POST', '/v1/identify', write, {
      userId: 'u-old',
      messageId: 'id-1',
      traits: { plan: 'pro' },
    });
    for (let i = 0; i < 5; i++) expect((await track(`old-${i}`)).statusCode).toBe(200);
    await t.ctx.profiles.drain();
    const computedBefore = (await send(t, 'GET', '/v1/profiles/user_id/u-old', read)).json<{
      computed: Record<string, unknown>;
    }>().computed;
    expect(computedBefore.order_count).toBe(5);

    // Recommendations shown to the person over HTTP: one now (old by the run), one later.
    const show = (id: string) =>
      recordRecommendationExposure(
        t.ctx.store.db,
        'default',
        'prf-u-old',
        { request: { strategy: 'popular' }, items: [] },
        clock.now(),
      ).then(() => id);
    await show('old');
    clock.set(clock.now() + 40 * DAY);
    await show('new');
    expect((await track('new-1')).statusCode).toBe(200);
    await t.ctx.profiles.drain();
    const settings = (await send(t, 'GET', '/v1/admin/settings', admin)).json<
      Record<string, unknown>
    >();
    const put = await send(t, 'PUT', '/v1/admin/settings', admin, {
      ...settings,
      privacy: { retention: { eventsDays: 30, rejectedDays: 30, messagesDays: 30 } },
    });
    expect(put.statusCode, put.body).toBe(200);

    const runner = new RetentionRunner(t.ctx.store, clock, RETENTION_STEPS, 2);
    const deleted = await runner.runWorkspace('default', clock.now());
    expect(deleted).toEqual({
      events: 6,
      messages: 0,
      rejected_events: 5,
      recommendation_exposures: 1,
    });
    expect(
      (
        await t.ctx.store.db.selectFrom('recommendation_exposures').select('served_at').execute()
      ).map((r) => r.served_at),
    ).toEqual([clock.now()]);
    const left = await t.ctx.store.db.selectFrom('events').select('message_id').execute();
    expect(left.map((e) => e.message_id)).toEqual(['new-1']);
    expect(await t.ctx.store.db.selectFrom('rejected_events').select('id').execute()).toHaveLength(
      1,
    );
    // The profile's facts outlive the events they were folded from.
    const after = (await send(t, 'GET', '/v1/profiles/user_id/u-old', read)).json<{
      traits: Record<string, unknown>;
      computed: Record<string, unknown>;
    }>();
    expect(after.traits.plan).toBe('pro');
    expect(after.computed.order_count).toBe(6);

    // The daily loop: runs once per day per workspace.
    expect(await runner.step()).toBe(false);
    await track('new-2');
    await t.ctx.profiles.drain();
    clock.set(clock.now() + 31 * DAY);
    await runner.step();
    expect((await t.ctx.store.db.selectFrom('events').select('id').execute()).length).toBe(0);
  }, 120_000);

  it("keeps a person's newest 200 recommendation records and trims the rest", async () => {
    const clock = new ManualClock(Date.UTC(2026, 9, 1, 12));
    t = await createTestApp(kind, { clock });
    const record = (who: string) =>
      recordRecommendationExposure(
        t.ctx.store.db,
        'default',
        who,
        { request: { strategy: 'popular' }, items: [] },
        clock.now(),
      );
    await record('prf-other');
    for (let i = 0; i < EXPOSURES_PER_PERSON + 3; i++) {
      clock.advance(1_000);
      await record('prf-busy');
    }
    const kept = await t.ctx.store.db
      .selectFrom('recommendation_exposures')
      .select(['profile_id', 'served_at'])
      .where('profile_id', '=', 'prf-busy')
      .orderBy('served_at')
      .execute();
    expect(kept).toHaveLength(EXPOSURES_PER_PERSON);
    // The three oldest went; the newest stayed.
    expect(kept[0]!.served_at).toBe(Date.UTC(2026, 9, 1, 12) + 4_000);
    expect(kept.at(-1)!.served_at).toBe(clock.now());
    // Someone else's record is not theirs to trim.
    const other = await t.ctx.store.db
      .selectFrom('recommendation_exposures')
      .select('id')
      .where('profile_id', '=', 'prf-other')
      .execute();
    expect(other).toHaveLength(1);
  });

  it('refuses a retention of no days, naming the field', async () => {
    t = await createTestApp(kind);
    const settings = (await send(t, 'GET', '/v1/admin/settings', t.keys.admin)).json<
      Record<string, unknown>
    >();
    const res = await send(t, 'PUT', '/v1/admin/settings', t.keys.admin, {
      ...settings,
      privacy: { retention: { eventsDays: 0 } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('privacy.retention.eventsDays');
  }, 120_000);
});
