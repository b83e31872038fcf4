import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordExposures } from '../../src/measurement/assignments.js';
import { ManualClock } from '../../src/shared/clock.js';
import { createEmailReadyApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 2, 12);
const PEOPLE = 4000;

interface Assigned {
  profile_id: string;
  arm: string;
}

describe.each(STORE_KINDS)('experiment reports through the store (%s)', (kind) => {
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

  it('covers a planted +20% lift with its interval and passes the sample-ratio check', async () => {
    const j = await send(t, 'POST', '/v1/journeys', t.keys.admin, {
      definition: {
        name: 'Welcome',
        trigger: { type: 'event', event: 'Signed Up' },
        holdoutPercent: 50,
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
    expect(j.statusCode, j.body).toBe(201);
    await send(t, 'POST', `/v1/journeys/${j.json().id}/activate`, t.keys.admin);
    const id = `journey:${j.json().id}`;
    // Listed before anyone is exposed.
    const before = (await send(t, 'GET', `/v1/experiments/${id}`, t.keys.read)).json();
    expect(before).toMatchObject({ kind: 'journey', controlArm: 'control' });
    expect(before.people).toEqual({ control: 0, treatment: 0 });

    // A pre-period order for every third person (CUPED's covariate), then the sign-ups.
    const users = Array.from({ length: PEOPLE }, (_, i) => `u${i}`);
    await batch(
      users.flatMap((u, i) => [
        ...(i % 3 === 0
          ? [
              {
                type: 'track',
                userId: u,
                event: 'Order Completed',
                properties: { revenue: 30 },
                timestamp: at(T0 - 10 * DAY),
              },
            ]
          : []),
        { type: 'track', userId: u, event: 'Signed Up', timestamp: at(T0) },
      ]),
    );
    const assigned = await t.ctx.store.db
      .selectFrom('experiment_assignments')
      .select(['profile_id', 'arm'])
      .where('experiment_id', '=', id)
      .orderBy('profile_id')
      .execute();
    expect(assigned).toHaveLength(PEOPLE);

    // Planted exactly: 10% of the control converts, 12% of the treated (+20%), over the
    // next 6 days; one in 50 converts after the 7-day window and must not count.
    const userOf = new Map<string, string>();
    for (const r of await t.ctx.store.db
      .selectFrom('identities')
      .select(['profile_id', 'value'])
      .where('kind', '=', 'user_id')
      .execute())
      userOf.set(r.profile_id, r.value);
    const orders: Record<string, unknown>[] = [];
    const seen = { control: 0, treatment: 0 };
    for (const a of assigned as Assigned[]) {
      const arm = a.arm === 'control' ? 'control' : 'treatment';
      const k = seen[arm]++ % 50;
      const converts = k < (arm === 'control' ? 5 : 6);
      const late = k === 49;
      if (!converts && !late) continue;
      orders.push({
        type: 'track',
        userId: userOf.get(a.profile_id),
        event: 'Order Completed',
        properties: { revenue: 40 },
        timestamp: at(T0 + (late ? 9 : 1 + (k % 6)) * DAY),
      });
    }
    clock.set(T0 + 10 * DAY);
    await batch(orders);

    // The journey's stats link to this report.
    const stats = (await send(t, 'GET', `/v1/journeys/${j.json().id}/stats`, t.keys.read)).json();
    expect(stats.report).toBe(`/v1/experiments/${encodeURIComponent(id)}/report`);
    const r = await send(t, 'GET', stats.report, t.keys.read);
    expect(r.statusCode, r.body).toBe(200);
    const report = r.json();
    const arm = (name: string) => report.arms.find((x: { arm: string }) => x.arm === name);
    const control = arm('control');
    const treated = arm('treatment');
    expect(control.people + treated.people).toBe(PEOPLE);
    // Whole fifties convert exactly 10% and 12%; the rest round down.
    expect(control.conversions).toBe(
      Math.floor(control.people / 50) * 5 + Math.min(5, control.people % 50),
    );
    const [c] = report.comparisons;
    expect(c).toMatchObject({ arm: 'treatment', against: 'control' });
    const lift = c.conversion.lift;
    expect(lift.value).toBeGreaterThan(0.15);
    expect(lift.value).toBeLessThan(0.25);
    expect(lift.ci[0]).toBeLessThan(0.2);
    expect(lift.ci[1]).toBeGreaterThan(0.2);
    expect(c.conversion.difference.ci[0]).toBeLessThan(0.02);
    expect(c.conversion.difference.ci[1]).toBeGreaterThan(0.02);
    expect(c.conversion.pValue).toBeGreaterThan(0);
    expect(c.conversion.pValue).toBeLessThan(0.2);
    expect(c.revenuePerPerson.difference.value).toBeGreaterThan(0);
    expect(c.cuped.covariate).toMatch(/30 days before/);
    expect(c.sequential.looks).toBe(10);
    expect(c.sequential.pValue).toBeGreaterThanOrEqual(c.conversion.pValue);
    expect(report.srm.mismatch).toBe(false);
    expect(report.srm.observed).toEqual([control.people, treated.people]);
  }, 240_000);

  it('flags a broken 60/40 assignment of a 50/50 experiment', async () => {
    const created = await send(t, 'POST', '/v1/experiments', t.keys.admin, {
      kind: 'template',
      subjectId: 'welcome',
      arms: [
        { name: 'a', weight: 1, variant: 'welcome' },
        { name: 'b', weight: 1, variant: 'welcome_b' },
      ],
      controlArm: 'a',
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    await recordExposures(
      t.ctx.store.db,
      Array.from({ length: 2000 }, (_, i) => ({
        workspaceId: 'default',
        experimentId: id,
        profileId: `p${i}`,
        arm: i < 1200 ? 'b' : 'a',
        at: T0,
      })),
    );
    const report = (await send(t, 'GET', `/v1/experiments/${id}/report`, t.keys.read)).json();
    expect(report.srm.observed).toEqual([800, 1200]);
    expect(report.srm.mismatch).toBe(true);
    expect(report.srm.pValue).toBeLessThan(0.001);
  });

  it('answers 404 for an unknown experiment and 400 naming a bad field', async () => {
    const missing = await send(t, 'GET', '/v1/experiments/nope/report', t.keys.read);
    expect(missing.statusCode).toBe(404);
    const bad = await send(t, 'POST', '/v1/experiments', t.keys.admin, {
      kind: 'template',
      subjectId: 'x',
      arms: [
        { name: 'a', weight: 1 },
        { name: 'b', weight: 1 },
      ],
      controlArm: 'c',
      attributionWindow: 'P1M',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('controlArm');
    expect(bad.body).toContain('attributionWindow');
  });
});
