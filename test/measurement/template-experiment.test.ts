import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assignArm } from '../../src/measurement/assign.js';
import { findProfileId } from '../../src/profiles/index.js';
import { ManualClock } from '../../src/shared/clock.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { startSmtp } from '../helpers/smtp.js';
import { STORE_KINDS } from '../helpers/stores.js';

describe.each(STORE_KINDS)('a template experiment (%s)', (kind) => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const clock = new ManualClock(Date.UTC(2026, 4, 12, 9, 0));
  beforeEach(async () => {
    smtp = await startSmtp();
    t = await createTestApp(kind, {
      clock,
      smtpUrl: smtp.url,
      publicUrl: 'https://shop.example.com',
    });
  });
  afterEach(async () => {
    await t.close();
    await smtp.close();
  });

  it("sends each person their arm's variant, recorded at first exposure, by the hash", async () => {
    await send(t, 'PUT', '/v1/admin/settings', t.keys.admin, {
      email: { from: 'hello@shop.example.com' },
      consent: { channels: { email: 'opt_out' } },
    });
    for (const id of ['promo', 'promo_b'])
      await send(t, 'POST', '/v1/templates', t.keys.admin, {
        id,
        name: id,
        channel: 'email',
        subject: id,
        html: `<p>${id}</p>`,
      });
    const e = await send(t, 'POST', '/v1/experiments', t.keys.admin, {
      kind: 'template',
      subjectId: 'promo',
      arms: [
        { name: 'control', weight: 1, variant: 'promo' },
        { name: 'b', weight: 1, variant: 'promo_b' },
      ],
      controlArm: 'control',
    });
    expect(e.statusCode, e.body).toBe(201);
    expect(e.json()).toMatchObject({ id: 'template:promo', salt: 'template:promo' });
    await send(t, 'POST', '/v1/journeys', t.keys.admin, {
      definition: {
        name: 'Promo',
        trigger: { type: 'event', event: 'Signed Up' },
        start: 's',
        steps: [
          { id: 's', type: 'send', channel: 'email', message: { templateId: 'promo' }, next: 'x' },
          { id: 'x', type: 'exit' },
        ],
      },
    });
    const users = Array.from({ length: 12 }, (_, i) => `v${i}`);
    let n = 0;
    for (const u of users)
      for (const body of [
        { type: 'identify', traits: { email: `${u}@example.com` } },
        { type: 'track', event: 'Signed Up' },
      ])
        await send(t, 'POST', `/v1/${body.type}`, t.keys.write, {
          userId: u,
          messageId: `m${++n}`,
          timestamp: new Date(clock.now()).toISOString(),
          ...body,
        });
    for (let i = 0; i < 20; i++) {
      const a = await t.ctx.profiles.drain();
      const c = await t.ctx.outbox.step();
      if (a === 0 && !c) break;
    }
    expect(smtp.mails).toHaveLength(12);
    const counts = { control: 0, b: 0 };
    for (const u of users) {
      const id = (await findProfileId(t.ctx.store.db, 'default', 'user_id', u))!;
      const arm = assignArm('template:promo', id, [
        { name: 'control', weight: 1 },
        { name: 'b', weight: 1 },
      ]);
      counts[arm as 'control' | 'b']++;
      const mail = smtp.mails.find(
        (m) => (m.to && 'text' in m.to ? m.to.text : '') === `${u}@example.com`,
      );
      expect(mail?.subject, u).toBe(arm === 'b' ? 'promo_b' : 'promo');
    }
    const listed = (await send(t, 'GET', '/v1/experiments/template:promo', t.keys.read)).json();
    expect(listed.people).toEqual(counts);
  });
});
