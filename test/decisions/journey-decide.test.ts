// A journey's `decide` step (issue #15): the decision is made by the journeys stage in the
// step's transaction, kept on the run, and the e-mail a later step sends (real SMTP,
// MIME parsed back) shows that offer and its unique code without deciding again; the
// decision is in the log and in the person's trace, linked to the run; the click on
// its tracked link rewards it. An unknown placement is refused when the journey is saved.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { startSmtpInbox } from '../helpers/smtp-inbox.js';
import { STORE_KINDS } from '../helpers/stores.js';
import { offer, placement, track } from './fixtures.js';

const PUBLIC_URL = 'https://shop.example.com/rapport';
const TRACKED = /^https:\/\/shop\.example\.com\/rapport(\/t\/c\/[\w.-]+)$/;
const hrefs = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);

const journeyDef = (placementName: string) => ({
  name: 'Offer mail',
  trigger: { type: 'event', event: 'Mail Me' },
  start: 'pick',
  steps: [
    {
      id: 'pick',
      type: 'decide',
      placement: placementName,
      context: { channel: 'email' },
      next: 'mail',
    },
    { id: 'mail', type: 'send', channel: 'email', message: { templateId: 'hero' }, next: 'x' },
    { id: 'x', type: 'exit' },
  ],
  reentry: { policy: 'always' },
});

describe.each(STORE_KINDS)('a journey decide step (%s)', (kind) => {
  let t: TestApp;
  let clock: ManualClock;
  let smtp: Awaited<ReturnType<typeof startSmtpInbox>>;
  beforeEach(async () => {
    smtp = await startSmtpInbox();
    clock = new ManualClock(Date.UTC(2026, 4, 12, 9, 0));
    t = await createTestApp(kind, { clock, smtpUrl: smtp.url, publicUrl: PUBLIC_URL });
    const s = await send(t, 'PUT', '/v1/admin/settings', t.keys.admin, {
      email: { from: 'hello@shop.example.com' },
      consent: { channels: { email: 'opt_out' } },
    });
    expect(s.statusCode, s.body).toBe(200);
  });
  afterEach(async () => {
    await t.close();
    await smtp.close();
  });

  const settle = async () => {
    for (let i = 0; i < 20; i++) {
      const a = await t.ctx.profiles.drain();
      const b = await t.ctx.journeys.runDueTimers();
      const c = await t.ctx.outbox.step();
      if (a === 0 && !b && !c) return;
    }
  };

  it('refuses a decide step naming an unknown placement, naming the field', async () => {
    const res = await send(t, 'POST', '/v1/journeys', t.keys.admin, {
      definition: journeyDef('nowhere'),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { details: unknown[] } }>().error.details).toEqual([
      {
        path: 'definition.steps.0.placement',
        problem: expect.stringContaining('no placement "nowhere"'),
      },
    ]);
    expect((await send(t, 'GET', '/v1/journeys', t.keys.admin)).json()).toMatchObject({
      journeys: [],
    });
  });

  it('decides in the journey, and the e-mail shows that offer and code; the trace links the run', async () => {
    await offer(t, 'none', { kind: 'no_offer' });
    await offer(t, 'vip20', {
      name: '20% for VIPs',
      priority: 10,
      codes: true,
      eligibility: { trait: 'tier', eq: 'vip' },
      content: { email: { title: '20% off, VIP', url: 'https://shop.example.com/vip' } },
    });
    await offer(t, 'ship', {
      kind: 'free_shipping',
      priority: 1,
      content: { email: { title: 'Free shipping', url: 'https://shop.example.com/ship' } },
    });
    const codes = await send(t, 'POST', '/v1/offers/vip20/codes', t.keys.admin, {
      codes: ['VIP-A', 'VIP-B'],
    });
    expect(codes.statusCode, codes.body).toBe(200);
    await placement(t, 'email_hero', {
      candidates: ['vip20', 'ship'],
      default: 'none',
      policy: { kind: 'fixed' },
    });
    const tpl = await send(t, 'POST', '/v1/templates', t.keys.admin, {
      id: 'hero',
      name: 'Hero',
      channel: 'email',
      subject: 'For you',
      html:
        '{% offer placement: "email_hero" %}<h1>{{ offer.title }}</h1><p>Code: {{ offer.code }}</p>' +
        '<p>Decision: {{ offer.decision_id }}</p><a href="{{ offer.url }}">Shop</a>' +
        '{% else %}<p>Nothing today</p>{% endoffer %}',
    });
    expect(tpl.statusCode, tpl.body).toBe(201);
    const j = await send(t, 'POST', '/v1/journeys', t.keys.admin, {
      definition: journeyDef('email_hero'),
    });
    expect(j.statusCode, j.body).toBe(201);
    for (const [userId, tier] of [
      ['vee', 'vip'],
      ['pat', 'plain'],
    ] as const) {
      const r = await send(t, 'POST', '/v1/identify', t.keys.write, {
        userId,
        traits: { email: `${userId}@example.com`, tier },
        messageId: `id-${userId}`,
        timestamp: new Date(clock.now()).toISOString(),
      });
      expect(r.statusCode).toBe(200);
      await track(t, userId, 'Mail Me', {});
    }
    // The decisions are made in the journey step, before any e-mail goes out.
    const decisions = () =>
      t.ctx.store.db
        .selectFrom('decisions')
        .selectAll()
        .where('placement_id', '=', 'email_hero')
        .orderBy('created_at')
        .execute();
    const made = await decisions();
    expect(made).toHaveLength(2);
    const runs = await t.ctx.store.db.selectFrom('journey_runs').selectAll().execute();
    expect(runs).toHaveLength(2);
    for (const run of runs) {
      const state = JSON.parse(run.state) as { decisions?: Record<string, string> };
      const row = made.find((d) => d.id === state.decisions?.email_hero);
      expect(row, 'the run keeps its decision id').toBeDefined();
      expect(row!.profile_id).toBe(run.profile_id);
      expect(JSON.parse(row!.context)).toMatchObject({
        channel: 'email',
        journey: { run: run.id, step: 'pick' },
      });
    }

    await settle();
    for (let i = 0; i < 100 && smtp.mails.length < 2; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(smtp.mails).toHaveLength(2);
    const mailTo = (who: string) =>
      smtp.mails.find((m) => JSON.stringify(m.to).includes(`${who}@example.com`))!;
    const vee = mailTo('vee').html as string;
    const pat = mailTo('pat').html as string;
    const veeRow = made.find((d) => d.offer_id === 'vip20')!;
    expect(veeRow.code).toMatch(/^VIP-[AB]$/);
    expect(vee).toContain('20% off, VIP');
    expect(vee).toContain(`Code: ${veeRow.code}`);
    expect(vee).toContain(`Decision: ${veeRow.id}`);
    expect(pat).toContain('Free shipping');
    expect(pat).not.toContain('VIP-');
    // Rendering reused the steps' decisions: no decision was made for the messages.
    expect((await decisions()).map((d) => d.id)).toEqual(made.map((d) => d.id));

    // The click on Vee's offer link rewards the step's decision.
    const [shop] = hrefs(vee).filter((h) => TRACKED.test(h));
    const redirect = await t.app.inject({ method: 'GET', url: TRACKED.exec(shop!)![1]! });
    expect(redirect.statusCode).toBe(302);
    expect(redirect.headers.location).toBe('https://shop.example.com/vip');
    await settle();
    const clicked = (await decisions()).find((d) => d.id === veeRow.id)!;
    expect(clicked.clicked_at).not.toBeNull();
    expect(clicked.reward).toBe(1);

    // The trace: the decision, caused by the person's run, with its journey refs.
    const trace = await send(t, 'GET', '/v1/profiles/user_id/vee/trace', t.keys.read);
    expect(trace.statusCode, trace.body).toBe(200);
    const entries = trace.json<{
      entries: { id: string; kind: string; causeId: string | null; refs: Record<string, string> }[];
    }>().entries;
    const veeRun = runs.find((r) => r.profile_id === veeRow.profile_id)!;
    const decision = entries.find((e) => e.id === `decision:${veeRow.id}`);
    expect(decision).toMatchObject({
      kind: 'decision',
      causeId: `run:${veeRun.id}`,
      refs: { runId: veeRun.id, stepId: 'pick', journeyId: veeRun.journey_id },
    });
    expect(entries.some((e) => e.id === `run:${veeRun.id}`)).toBe(true);
  });
});
