import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assignmentOf, followMerges, recordExposures } from '../../src/measurement/assignments.js';
import { findProfileId } from '../../src/profiles/index.js';
import { ManualClock } from '../../src/shared/clock.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { startSmtp } from '../helpers/smtp.js';
import { STORE_KINDS } from '../helpers/stores.js';

describe.each(STORE_KINDS)('the global control group (%s)', (kind) => {
  let t: TestApp;
  let clock: ManualClock;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  beforeEach(async () => {
    smtp = await startSmtp();
    clock = new ManualClock(Date.UTC(2026, 4, 12, 9, 0));
    t = await createTestApp(kind, {
      clock,
      smtpUrl: smtp.url,
      publicUrl: 'https://shop.example.com',
      globalControl: true,
    });
  });
  afterEach(async () => {
    await t.close();
    await smtp.close();
  });

  const settle = async () => {
    for (let i = 0; i < 30; i++) {
      const a = await t.ctx.profiles.drain();
      const b = await t.ctx.journeys.runDueTimers();
      const c = await t.ctx.outbox.step();
      if (a === 0 && !b && !c) return;
    }
  };
  let n = 0;
  const post = (path: string, body: Record<string, unknown>) =>
    send(t, 'POST', path, t.keys.write, {
      messageId: `m${++n}`,
      timestamp: new Date(clock.now()).toISOString(),
      ...body,
    });
  const settings = (percent: number) =>
    send(t, 'PUT', '/v1/admin/settings', t.keys.admin, {
      email: { from: 'hello@shop.example.com' },
      consent: { channels: { email: 'opt_out' } },
      measurement: { globalControlPercent: percent },
    });
  const db = () => t.ctx.store.db;

  it('gets no marketing message from any journey, while transactional messages still go', async () => {
    expect((await settings(40)).statusCode).toBe(200);
    for (const [id, transactional] of [
      ['promo', false],
      ['receipt', true],
    ] as const) {
      const r = await send(t, 'POST', '/v1/templates', t.keys.admin, {
        id,
        name: id,
        channel: 'email',
        subject: id,
        html: `<p>${id}</p>`,
        transactional,
      });
      expect(r.statusCode, r.body).toBe(201);
    }
    const journey = (name: string, event: string, steps: string[]) =>
      send(t, 'POST', '/v1/journeys', t.keys.admin, {
        definition: {
          name,
          trigger: { type: 'event', event },
          start: steps[0],
          steps: [
            ...steps.map((tpl, i) => ({
              id: tpl,
              type: 'send',
              channel: 'email',
              message: { templateId: tpl },
              next: steps[i + 1] ?? 'x',
            })),
            { id: 'x', type: 'exit' },
          ],
        },
      });
    expect((await journey('Welcome', 'Signed Up', ['promo'])).statusCode).toBe(201);
    expect((await journey('Orders', 'Order Completed', ['receipt'])).statusCode).toBe(201);
    const people = Array.from({ length: 30 }, (_, i) => `u${i}`);
    for (const u of people) {
      await post('/v1/identify', { userId: u, traits: { email: `${u}@example.com` } });
      await post('/v1/track', { userId: u, event: 'Signed Up' });
      await post('/v1/track', { userId: u, event: 'Order Completed', properties: { revenue: 5 } });
    }
    await settle();

    const control: string[] = [];
    for (const u of people) {
      const id = (await findProfileId(db(), 'default', 'user_id', u))!;
      const a = await assignmentOf(db(), 'default', 'global_control', id);
      expect(a, u).not.toBeNull();
      if (a!.arm === 'control') control.push(u);
    }
    // 40% of 30: some in each group (a 1-in-4-million miss for a fixed hash).
    expect(control.length).toBeGreaterThan(0);
    expect(control.length).toBeLessThan(30);
    const got = (u: string) =>
      smtp.mails
        .filter((m) => (m.to && 'text' in m.to ? m.to.text : '') === `${u}@example.com`)
        .map((m) => m.subject)
        .sort();
    for (const u of people)
      expect(got(u), u).toEqual(control.includes(u) ? ['receipt'] : ['promo', 'receipt']);
    const skipped = (await send(t, 'GET', '/v1/messages?status=skipped', t.keys.read)).json()
      .messages as { reason: string }[];
    expect(skipped).toHaveLength(control.length);
    for (const m of skipped) expect(m.reason).toMatch(/^global_control: /);

    // The group is listed as an experiment with its people per arm.
    const list = (await send(t, 'GET', '/v1/experiments', t.keys.read)).json();
    const gc = list.experiments.find((e: { id: string }) => e.id === 'global_control');
    expect(gc.kind).toBe('global_control');
    expect(gc.people).toEqual({ control: control.length, treatment: 30 - control.length });
  });

  it('keeps a person in the group they were first in across an identity merge', async () => {
    expect((await settings(50)).statusCode).toBe(200);
    const w = 'default';
    // Two profiles of one person, exposed at different times, then merged.
    await post('/v1/identify', { anonymousId: 'device-1', traits: { email: 'x@example.com' } });
    await post('/v1/identify', { userId: 'zed', traits: {} });
    await settle();
    const anon = (await findProfileId(db(), w, 'anonymous_id', 'device-1'))!;
    const user = (await findProfileId(db(), w, 'user_id', 'zed'))!;
    expect(anon).not.toBe(user);
    await recordExposures(db(), [
      { workspaceId: w, experimentId: 'global_control', profileId: user, arm: 'treatment', at: 2 },
      { workspaceId: w, experimentId: 'global_control', profileId: anon, arm: 'control', at: 1 },
      { workspaceId: w, experimentId: 'journey:j', profileId: user, arm: 'treatment', at: 5 },
    ]);
    await post('/v1/identify', { userId: 'zed', anonymousId: 'device-1' });
    await settle();
    const live = (await findProfileId(db(), w, 'user_id', 'zed'))!;
    expect(await findProfileId(db(), w, 'anonymous_id', 'device-1')).toBe(live);
    expect(await assignmentOf(db(), w, 'global_control', live)).toEqual({
      arm: 'control',
      assignedAt: 1,
    });
    expect(await assignmentOf(db(), w, 'journey:j', live)).toEqual({
      arm: 'treatment',
      assignedAt: 5,
    });
    const mine = await send(t, 'GET', '/v1/profiles/user_id/zed/experiments', t.keys.read);
    expect(mine.json().assignments).toEqual([
      { experimentId: 'global_control', arm: 'control', assignedAt: new Date(1).toISOString() },
      { experimentId: 'journey:j', arm: 'treatment', assignedAt: new Date(5).toISOString() },
    ]);
    const loser = live === anon ? user : anon;
    expect(await assignmentOf(db(), w, 'global_control', loser)).toBeNull();
    // A later exposure never replaces the first record.
    await followMerges(db(), w, live, []);
    await recordExposures(db(), [
      { workspaceId: w, experimentId: 'global_control', profileId: live, arm: 'treatment', at: 9 },
    ]);
    expect((await assignmentOf(db(), w, 'global_control', live))?.arm).toBe('control');
  });

  it('refuses a share outside 0-50, naming the field', async () => {
    const r = await settings(60);
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('measurement.globalControlPercent');
    expect(r.body).toContain('between 0 and 50');
  });
});
