// `{% offer placement: "email_hero" %}` in a real e-mail (real SMTP): an eligible offer
// with a unique code, the decision id in its tracked links, and the click, redemption and
// order that follow reaching the decision and the policy's learned state (issue #15).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { learnStep } from '../../src/decisions/index.js';
import { ManualClock } from '../../src/shared/clock.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { startSmtpInbox } from '../helpers/smtp-inbox.js';
import { STORE_KINDS } from '../helpers/stores.js';
import { offer, placement, track } from './fixtures.js';

const PUBLIC_URL = 'https://shop.example.com/rapport';
const TRACKED = /^https:\/\/shop\.example\.com\/rapport(\/t\/c\/[\w.-]+)$/;
const hrefs = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);

describe.each(STORE_KINDS)('offers in e-mail (%s)', (kind) => {
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

  it('shows an eligible offer with a unique code, and a click and an order reward its decision', async () => {
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
      // Fixed priority: the test knows who gets what; learning is the same for every kind.
      policy: { kind: 'fixed' },
      reward: 'conversion',
    });
    const tpl = await send(t, 'POST', '/v1/templates', t.keys.admin, {
      id: 'hero',
      name: 'Hero',
      channel: 'email',
      subject: 'For you',
      html:
        '{% offer placement: "email_hero" %}<h1>{{ offer.title }}</h1><p>Code: {{ offer.code }}</p>' +
        '<a href="{{ offer.url }}">Shop</a>{% else %}<p>Nothing today</p>{% endoffer %}',
    });
    expect(tpl.statusCode, tpl.body).toBe(201);
    const journey = await send(t, 'POST', '/v1/journeys', t.keys.admin, {
      definition: {
        name: 'Hero mail',
        trigger: { type: 'event', event: 'Mail Me' },
        start: 's',
        steps: [
          { id: 's', type: 'send', channel: 'email', message: { templateId: 'hero' }, next: 'x' },
          { id: 'x', type: 'exit' },
        ],
        reentry: { policy: 'always' },
      },
    });
    expect(journey.statusCode, journey.body).toBe(201);
    for (const [userId, tier] of [
      ['vee', 'vip'],
      ['val', 'vip'],
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
    await settle();
    // The inbox parses each accepted message after the SMTP reply: wait for the parse.
    for (let i = 0; i < 100 && smtp.mails.length < 3; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(smtp.mails).toHaveLength(3);
    const mailTo = (who: string) =>
      smtp.mails.find((m) => m.html && JSON.stringify(m.to).includes(`${who}@example.com`))!;
    const vee = mailTo('vee').html as string;
    const val = mailTo('val').html as string;
    const pat = mailTo('pat').html as string;
    const codeOf = (html: string) => /Code: (VIP-[AB])/.exec(html)?.[1];
    expect(vee).toContain('20% off, VIP');
    expect(val).toContain('20% off, VIP');
    expect(new Set([codeOf(vee), codeOf(val)])).toEqual(new Set(['VIP-A', 'VIP-B']));
    expect(pat).toContain('Free shipping');
    expect(pat).not.toContain('VIP-');

    // The click on Vee's offer link carries the decision: it is recorded as clicked.
    const [shop] = hrefs(vee).filter((h) => TRACKED.test(h));
    const redirect = await t.app.inject({ method: 'GET', url: TRACKED.exec(shop!)![1]! });
    expect(redirect.statusCode).toBe(302);
    expect(redirect.headers.location).toBe('https://shop.example.com/vip');
    await settle();
    const decisions = () =>
      t.ctx.store.db
        .selectFrom('decisions')
        .selectAll()
        .where('placement_id', '=', 'email_hero')
        .execute();
    const veeRow = (await decisions()).find((d) => d.code === codeOf(vee))!;
    expect(veeRow.clicked_at).not.toBeNull();
    expect(veeRow.reward).toBe(0); // the placement learns from conversions

    // Her order with the code redeems it and converts the decision, with its revenue.
    await track(t, 'vee', 'Order Completed', { coupon: codeOf(vee), revenue: 80 });
    const after = (await decisions()).find((d) => d.id === veeRow.id)!;
    expect(after).toMatchObject({ reward: 1, revenue: 80 });
    expect(after.redeemed_at).not.toBeNull();
    expect(after.converted_at).not.toBeNull();

    // The policy learns from it now; the others once their window closes.
    expect(await learnStep(t.ctx.store, t.clock)).toBe(true);
    const state = await t.ctx.store.db
      .selectFrom('decision_policy_state')
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(JSON.parse(state.state)).toEqual({ arms: { vip20: { n: 1, rewardSum: 1 } } });
    clock.advance(8 * 86_400_000);
    expect(await learnStep(t.ctx.store, t.clock)).toBe(true);
    const later = await t.ctx.store.db
      .selectFrom('decision_policy_state')
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(JSON.parse(later.state)).toEqual({
      arms: { vip20: { n: 2, rewardSum: 1 }, ship: { n: 1, rewardSum: 0 } },
    });
    expect(await learnStep(t.ctx.store, t.clock)).toBe(false);
  });
});
