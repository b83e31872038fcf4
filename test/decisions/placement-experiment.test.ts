// A placement's holdout served as a measurement experiment (issues #15 and #16): each
// person's arm is the stable hash of the experiment's salt, recorded once at first
// exposure and the same from any process; the control arm gets the default, the
// treatment the policy; and the experiment's report compares them with the conversions
// that followed. A seeded simulation plants a better conversion rate for the policy's
// offer: the report's lift must come out positive, its sample ratio sound.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assignArm } from '../../src/measurement/assign.js';
import { PlacementAssignments } from '../../src/measurement/index.js';
import { ManualClock } from '../../src/shared/clock.js';
import { seededRandom } from '../../src/shared/index.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';
import { decide, offer, placement } from './fixtures.js';

const PEOPLE = 300;
const RATES = { treatment: 0.4, control: 0.15 };

interface Report {
  arms: { arm: string; people: number; conversions: number; conversionRate: number | null }[];
  comparisons: {
    arm: string;
    against: string;
    conversion: { lift: { value: number | null }; pValue: number | null };
  }[];
  srm: { mismatch: boolean } | null;
}

describe.each(STORE_KINDS)('placement experiments (%s)', (kind) => {
  let t: TestApp;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 5, 1, 9, 0));
    t = await createTestApp(kind, { clock });
  });
  afterEach(async () => {
    await t.close();
  });

  const batch = async (events: Record<string, unknown>[]) => {
    for (let i = 0; i < events.length; i += 100) {
      const r = await send(t, 'POST', '/v1/batch', t.keys.write, {
        batch: events.slice(i, i + 100),
      });
      expect(r.statusCode, r.body).toBe(200);
    }
    await t.ctx.profiles.drain();
  };

  it('records each arm once at first exposure, and the report shows the policy lift', async () => {
    await offer(t, 'none', { kind: 'no_offer' });
    await offer(t, 'promo', { priority: 5 });
    await placement(t, 'hero', {
      candidates: ['promo'],
      default: 'none',
      policy: { kind: 'fixed' },
      holdoutPercent: 50,
    });
    const at = () => new Date(clock.now()).toISOString();
    await batch(
      Array.from({ length: PEOPLE }, (_, i) => ({
        type: 'identify',
        userId: `u${i}`,
        messageId: `id-${i}`,
        timestamp: at(),
        traits: { n: i },
      })),
    );
    const answers = [];
    for (let i = 0; i < PEOPLE; i++)
      answers.push(await decide(t, { placement: 'hero', userId: `u${i}` }));
    // Seen again: the same arm, nothing recorded twice.
    for (let i = 0; i < 20; i++) {
      const again = await decide(t, { placement: 'hero', userId: `u${i}` });
      expect(again.holdout).toBe(answers[i]!.holdout);
    }
    const rows = await t.ctx.store.db
      .selectFrom('experiment_assignments')
      .selectAll()
      .where('experiment_id', '=', 'placement:hero')
      .execute();
    expect(rows).toHaveLength(PEOPLE);
    const armOf = new Map(rows.map((r) => [r.profile_id, r.arm]));
    const experiment = await send(t, 'GET', '/v1/experiments/placement:hero', t.keys.read);
    expect(experiment.statusCode, experiment.body).toBe(200);
    const e = experiment.json<{ salt?: string; kind: string; controlArm: string; arms: [] }>();
    expect(e).toMatchObject({ kind: 'placement', controlArm: 'control' });
    // The arm is the hash of salt and person: what any process computes for them.
    const decisions = await t.ctx.store.db
      .selectFrom('decisions')
      .selectAll()
      .where('placement_id', '=', 'hero')
      .orderBy('created_at')
      .execute();
    for (const d of decisions) {
      const arm = armOf.get(d.profile_id!);
      expect(arm).toBe(assignArm('placement:hero', d.profile_id!, e.arms));
      expect(d.offer_id).toBe(arm === 'control' ? 'none' : 'promo');
      expect(d.holdout).toBe(arm === 'control' ? 1 : 0);
    }
    // Another process (its own caches) gives the same arms and records nothing new.
    const other = new PlacementAssignments(clock);
    for (const [profileId, arm] of [...armOf].slice(0, 10)) {
      const got = await other.armOf(
        t.ctx.store.db,
        'default',
        { id: 'hero', holdoutPercent: 50, default: 'none' },
        { profileId, otherId: undefined },
        clock.now(),
      );
      expect(got).toMatchObject({
        experimentId: 'placement:hero',
        arm,
        control: arm === 'control',
      });
    }

    // The planted effect: the policy's offer converts more than the default.
    clock.advance(3_600_000);
    const random = seededRandom('placement-experiment');
    const orders = answers.flatMap((a, i) => {
      const rate = a.holdout ? RATES.control : RATES.treatment;
      return random() < rate
        ? [
            {
              type: 'track',
              event: 'Order Completed',
              userId: `u${i}`,
              messageId: `order-${i}`,
              timestamp: at(),
              properties: { revenue: 40 },
            },
          ]
        : [];
    });
    await batch(orders);
    clock.advance(3_600_000);

    const res = await send(t, 'GET', '/v1/experiments/placement:hero/report', t.keys.read);
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json<Report>();
    const arm = (name: string) => report.arms.find((a) => a.arm === name)!;
    expect(arm('control').people + arm('treatment').people).toBe(PEOPLE);
    expect(arm('control').people).toBe(answers.filter((a) => a.holdout).length);
    expect(arm('control').conversions + arm('treatment').conversions).toBe(orders.length);
    expect(arm('treatment').conversionRate!).toBeGreaterThan(arm('control').conversionRate!);
    const vs = report.comparisons.find((c) => c.arm === 'treatment' && c.against === 'control')!;
    expect(vs.conversion.lift.value!).toBeGreaterThan(0);
    expect(vs.conversion.pValue!).toBeLessThan(0.05);
    expect(report.srm?.mismatch).toBe(false);
    // Some hundreds of requests: room for a loaded machine.
  }, 180_000);

  it('serves an experiment made with POST /v1/experiments: an arm naming an offer shows it', async () => {
    await offer(t, 'none', { kind: 'no_offer' });
    await offer(t, 'a', { priority: 5 });
    await offer(t, 'b', { priority: 1 });
    await placement(t, 'side', {
      candidates: ['a', 'b'],
      default: 'none',
      policy: { kind: 'fixed' },
    });
    const made = await send(t, 'POST', '/v1/experiments', t.keys.admin, {
      kind: 'placement',
      subjectId: 'side',
      arms: [
        { name: 'control', weight: 1, variant: 'none' },
        { name: 'policy', weight: 1 },
        { name: 'only_b', weight: 1, variant: 'b' },
      ],
      controlArm: 'control',
    });
    expect(made.statusCode, made.body).toBe(201);
    const id = made.json<{ id: string }>().id;
    await batch(
      Array.from({ length: 60 }, (_, i) => ({
        type: 'identify',
        userId: `s${i}`,
        messageId: `sid-${i}`,
        timestamp: new Date(clock.now()).toISOString(),
      })),
    );
    const seen = new Map<string, string>();
    for (let i = 0; i < 60; i++) {
      const r = await decide(t, { placement: 'side', userId: `s${i}` });
      const row = await t.ctx.store.db
        .selectFrom('decisions')
        .select(['profile_id'])
        .where('id', '=', r.decisionId)
        .executeTakeFirstOrThrow();
      const assigned = await t.ctx.store.db
        .selectFrom('experiment_assignments')
        .select('arm')
        .where('experiment_id', '=', id)
        .where('profile_id', '=', row.profile_id!)
        .executeTakeFirstOrThrow();
      const expected = { control: 'none', policy: 'a', only_b: 'b' }[assigned.arm];
      expect(r.offer?.id, assigned.arm).toBe(expected);
      expect(r.holdout).toBe(assigned.arm === 'control');
      seen.set(assigned.arm, r.offer!.id);
    }
    expect([...seen.keys()].sort()).toEqual(['control', 'only_b', 'policy']);
  });
});
