import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { createEmailReadyApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 2, 12);
const PEOPLE = 1600;
/** Planted conversion rates per group and arm, out of 20: shoe lovers are persuadable. */
const RATES = {
  shoes: { treatment: 8, control: 2 }, // 40% against 10%: the e-mail persuades them
  books: { treatment: 5, control: 5 }, // 25% either way: they buy anyway
} as const;

const welcome = (holdoutPercent: number) => ({
  definition: {
    name: 'Welcome',
    trigger: { type: 'event', event: 'Signed Up' },
    holdoutPercent,
    start: 'hello',
    steps: [
      {
        id: 'hello',
        type: 'send',
        channel: 'email',
        message: { content: { subject: 'Hi', text: 'Hi' } },
        next: 'x',
      },
      { id: 'x', type: 'exit' },
    ],
  },
});

describe.each(STORE_KINDS)('a journey trains its own uplift model (%s)', (kind) => {
  let t: TestApp;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock(T0);
    t = await createEmailReadyApp(kind, { clock });
  });
  afterEach(() => t.close());

  let n = 0;
  const batch = async (events: Record<string, unknown>[]) => {
    for (let i = 0; i < events.length; i += 250) {
      const r = await send(t, 'POST', '/v1/batch', t.keys.write, {
        batch: events.slice(i, i + 250).map((e) => ({ messageId: `e${++n}`, ...e })),
      });
      expect(r.statusCode, r.body).toBe(200);
    }
    await t.ctx.profiles.drain();
  };
  const at = (ms: number) => new Date(ms).toISOString();
  const groupOf = (user: string) => (Number(user.slice(1)) % 2 === 0 ? 'shoes' : 'books');
  const backfill = async () => {
    while (await t.ctx.segments.backfillStep());
  };

  it('scores the persuadable higher, and a segment on the trait selects them', async () => {
    const j = await send(t, 'POST', '/v1/journeys', t.keys.admin, welcome(50));
    expect(j.statusCode, j.body).toBe(201);
    const jid = j.json().id as string;
    const untrained = (await send(t, 'GET', `/v1/journeys/${jid}/uplift`, t.keys.read)).json();
    expect(untrained).toMatchObject({
      status: 'untrained',
      serving: false,
      trait: `uplift.${jid}`,
    });

    // A segment and a journey condition on the trait, saved before any model exists.
    const seg = await send(t, 'POST', '/v1/segments', t.keys.admin, {
      name: 'Persuadable',
      definition: { computed: `uplift.${jid}`, gt: 0.15 },
    });
    expect(seg.statusCode, seg.body).toBe(201);
    const segmentId = seg.json().id as string;
    const nudge = await send(t, 'POST', '/v1/journeys', t.keys.admin, {
      definition: {
        name: 'Nudge',
        trigger: { type: 'event', event: 'Came Back' },
        start: 'pick',
        steps: [
          {
            id: 'pick',
            type: 'branch',
            cases: [{ condition: { computed: `uplift.${jid}`, gt: 0.15 }, next: 'persuade' }],
            default: 'leave',
          },
          { id: 'persuade', type: 'exit' },
          { id: 'leave', type: 'exit' },
        ],
      },
    });
    expect(nudge.statusCode, nudge.body).toBe(201);

    // Half the people browse shoes, half books, before they sign up and enter.
    const users = Array.from({ length: PEOPLE }, (_, i) => `u${i}`);
    await batch(
      users.flatMap((u) => [
        {
          type: 'track',
          userId: u,
          event: 'Product Viewed',
          properties: { product_id: `${groupOf(u)}-1`, category: groupOf(u) },
          timestamp: at(T0 - 2 * DAY),
        },
        { type: 'track', userId: u, event: 'Signed Up', timestamp: at(T0) },
      ]),
    );
    await backfill();
    const userOf = new Map<string, string>();
    for (const r of await t.ctx.store.db
      .selectFrom('identities')
      .select(['profile_id', 'value'])
      .where('kind', '=', 'user_id')
      .execute())
      userOf.set(r.profile_id, r.value);
    const assigned = await t.ctx.store.db
      .selectFrom('experiment_assignments')
      .select(['profile_id', 'arm'])
      .where('experiment_id', '=', `journey:${jid}`)
      .orderBy('profile_id')
      .execute();
    expect(assigned).toHaveLength(PEOPLE);

    // Orders within the 7-day window at the planted rates, exactly per 20 people.
    const seen = new Map<string, number>();
    const orders: Record<string, unknown>[] = [];
    const planted = { treatment: [0, 0], control: [0, 0] };
    for (const a of assigned) {
      const user = userOf.get(a.profile_id)!;
      const arm = a.arm === 'control' ? 'control' : 'treatment';
      const key = `${groupOf(user)}:${arm}`;
      const k = seen.get(key) ?? 0;
      seen.set(key, k + 1);
      planted[arm][0]!++;
      if (k % 20 >= RATES[groupOf(user)][arm]) continue;
      planted[arm][1]!++;
      orders.push({
        type: 'track',
        userId: user,
        event: 'Order Completed',
        properties: { order_id: `o-${user}`, revenue: 30 },
        timestamp: at(T0 + (1 + (k % 5)) * DAY),
      });
    }
    clock.set(T0 + 10 * DAY);
    await batch(orders);
    await backfill();
    expect(await members(segmentId)).toEqual([]);

    const trained = await send(t, 'POST', `/v1/journeys/${jid}/uplift/train`, t.keys.admin);
    expect(trained.statusCode, trained.body).toBe(200);
    const status = trained.json();
    expect(status).toMatchObject({
      status: 'trained',
      serving: true,
      sample: {
        treated: { people: planted.treatment[0], conversions: planted.treatment[1] },
        control: { people: planted.control[0], conversions: planted.control[1] },
      },
    });
    const ate =
      planted.treatment[1]! / planted.treatment[0]! - planted.control[1]! / planted.control[0]!;
    expect(status.metrics.ate.value).toBeCloseTo(ate, 5);
    // Ranking the held-out people by the model finds the persuadable: the top 30% gain
    // more than the average effect (about 0.15; about 0.3 among shoe lovers).
    expect(status.metrics.upliftAt['30']).toBeGreaterThan(ate + 0.05);
    expect(status.metrics.qini).toBeGreaterThan(0.1);
    expect((await send(t, 'GET', `/v1/journeys/${jid}/uplift`, t.keys.read)).json()).toEqual(
      status,
    );

    // The trait on profiles: the persuadable score near 0.3, the others near 0.
    const score = async (user: string) => {
      const p = await send(t, 'GET', `/v1/profiles/user_id/${user}`, t.keys.read);
      expect(p.statusCode, p.body).toBe(200);
      return p.json().computed.uplift[jid] as number;
    };
    const shoes = await Promise.all(['u0', 'u2', 'u4', 'u6', 'u8', 'u10'].map(score));
    const books = await Promise.all(['u1', 'u3', 'u5', 'u7', 'u9', 'u11'].map(score));
    for (const s of shoes) expect(s).toBeGreaterThan(0.2);
    for (const s of books) expect(Math.abs(s)).toBeLessThan(0.1);

    // Training repaired the segment saved before it: mostly persuadable people.
    const chosen = await members(segmentId);
    const persuadable = chosen.filter((id) => groupOf(userOf.get(id)!) === 'shoes');
    expect(persuadable.length / chosen.length).toBeGreaterThanOrEqual(0.95);
    expect(persuadable.length).toBeGreaterThanOrEqual(0.9 * (PEOPLE / 2));

    // A journey condition reads the same trait.
    await batch([
      { type: 'track', userId: 'u0', event: 'Came Back', timestamp: at(T0 + 10 * DAY) },
      { type: 'track', userId: 'u1', event: 'Came Back', timestamp: at(T0 + 10 * DAY) },
    ]);
    const path = async (user: string) => {
      const runs = await send(t, 'GET', `/v1/profiles/user_id/${user}/journeys`, t.keys.read);
      expect(runs.statusCode, runs.body).toBe(200);
      const run = runs
        .json()
        .runs.find((r: { journeyId: string }) => r.journeyId === nudge.json().id);
      return run.history.map((h: { stepId: string }) => h.stepId);
    };
    expect(await path('u0')).toContain('persuade');
    expect(await path('u1')).toContain('leave');
  }, 240_000);

  const members = async (segmentId: string) =>
    (
      await t.ctx.store.db
        .selectFrom('segment_members')
        .select('profile_id')
        .where('segment_id', '=', segmentId)
        .execute()
    ).map((r) => r.profile_id);

  it('says what is missing with too little data, refuses a journey without holdout, and retrains daily', async () => {
    const j = (await send(t, 'POST', '/v1/journeys', t.keys.admin, welcome(50))).json();
    const plain = (await send(t, 'POST', '/v1/journeys', t.keys.admin, welcome(0))).json();
    await batch(
      Array.from({ length: 30 }, (_, i) => ({
        type: 'track',
        userId: `s${i}`,
        event: 'Signed Up',
        timestamp: at(T0),
      })),
    );
    clock.set(T0 + 8 * DAY);
    const r = await send(t, 'POST', `/v1/journeys/${j.id}/uplift/train`, t.keys.admin);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ status: 'insufficient_data', serving: false, metrics: null });
    expect(r.json().detail).toMatch(/needs at least 200 people and 10 conversions in each arm/);
    expect(r.json().sample.treated.people + r.json().sample.control.people).toBe(30);

    const refused = await send(t, 'POST', `/v1/journeys/${plain.id}/uplift/train`, t.keys.admin);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toBe(
      `Journey "${plain.id}" has no holdout: an uplift model learns from the people held out (set definition.holdoutPercent above 0).`,
    );
    expect(refused.json().error.details).toEqual([
      { path: 'definition.holdoutPercent', problem: 'must be above 0 to train an uplift model' },
    ]);
    expect((await send(t, 'POST', '/v1/journeys/nope/uplift/train', t.keys.admin)).statusCode).toBe(
      404,
    );
    expect((await send(t, 'GET', '/v1/journeys/nope/uplift', t.keys.read)).statusCode).toBe(404);
    // Training is an admin action.
    expect(
      (await send(t, 'POST', `/v1/journeys/${j.id}/uplift/train`, t.keys.read)).statusCode,
    ).toBe(403);

    // The background job: a journey with a holdout is retrained once a day, no more.
    const { upliftTrainingStep } = await import('../../src/app/uplift-training.js');
    const parts = {
      store: t.ctx.store,
      clock,
      models: t.ctx.models,
      segmentRegistry: t.ctx.segmentRegistry,
    };
    const attempted = async () =>
      (
        await t.ctx.store.db
          .selectFrom('uplift_models')
          .select(['journey_id', 'attempted_at'])
          .execute()
      ).map((x) => [x.journey_id, x.attempted_at]);
    clock.advance(3_600_000);
    await upliftTrainingStep(parts);
    expect(await attempted()).toEqual([[j.id, T0 + 8 * DAY]]);
    clock.advance(DAY);
    await upliftTrainingStep(parts);
    expect(await attempted()).toEqual([[j.id, T0 + 9 * DAY + 3_600_000]]);
  });
});
