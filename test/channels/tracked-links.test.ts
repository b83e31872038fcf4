// Tracked links only go where the shop goes (issue #13, item 9). A write key is public in
// every browser; a template that prints a URL from event data must not turn that URL into
// a signed redirect on the shop's domain. E-mails travel over real SMTP.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LinkMaker } from '../../src/messaging/links.js';
import { ManualClock } from '../../src/shared/clock.js';
import { workspaceSecrets } from '../../src/workspaces/index.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { startSmtpInbox } from '../helpers/smtp-inbox.js';
import { STORE_KINDS } from '../helpers/stores.js';

const PUBLIC_URL = 'https://shop.example.com/rapport';
const ATTACKER = 'https://evil.example/phish?next=%2Flogin';
const SALE = 'https://shop.example.com/sale?from=mail';
const TRACKED = /^https:\/\/shop\.example\.com\/rapport(\/t\/c\/[\w.-]+)$/;

const hrefs = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);

describe.each(STORE_KINDS)('tracked links go only where the shop goes (%s)', (kind) => {
  let t: TestApp;
  let clock: ManualClock;
  let smtp: Awaited<ReturnType<typeof startSmtpInbox>>;
  beforeEach(async () => {
    smtp = await startSmtpInbox();
    clock = new ManualClock(Date.UTC(2026, 4, 12, 9, 0));
    t = await createTestApp(kind, { clock, smtpUrl: smtp.url, publicUrl: PUBLIC_URL });
    await settings({});
  });
  afterEach(async () => {
    await t.close();
    await smtp.close();
  });

  const settings = async (tracking: Record<string, unknown>) => {
    const res = await send(t, 'PUT', '/v1/admin/settings', t.keys.admin, {
      email: { from: 'hello@shop.example.com' },
      consent: { channels: { email: 'opt_out' } },
      tracking,
    });
    expect(res.statusCode, res.body).toBe(200);
  };
  const settle = async () => {
    for (let i = 0; i < 20; i++) {
      const a = await t.ctx.profiles.drain();
      const b = await t.ctx.journeys.runDueTimers();
      const c = await t.ctx.outbox.step();
      if (a === 0 && !b && !c) return;
    }
  };
  let n = 0;
  const track = (event: string, properties: Record<string, unknown>) =>
    send(t, 'POST', '/v1/track', t.keys.write, {
      userId: 'ada',
      event,
      properties,
      messageId: `l${++n}`,
      timestamp: new Date(clock.now()).toISOString(),
    });
  /** A template and a journey that e-mails it to whoever sends `Deal`. */
  const dealJourney = async (html: string) => {
    const saved = await send(t, 'POST', '/v1/templates', t.keys.admin, {
      id: 'deal',
      name: 'Deal',
      channel: 'email',
      subject: 'A deal for you',
      html,
    });
    expect(saved.statusCode, saved.body).toBe(201);
    const journey = await send(t, 'POST', '/v1/journeys', t.keys.admin, {
      definition: {
        name: 'Deals',
        trigger: { type: 'event', event: 'Deal' },
        start: 's',
        steps: [
          { id: 's', type: 'send', channel: 'email', message: { templateId: 'deal' }, next: 'x' },
          { id: 'x', type: 'exit' },
        ],
        reentry: { policy: 'always' },
      },
    });
    expect(journey.statusCode, journey.body).toBe(201);
    await send(t, 'POST', '/v1/identify', t.keys.write, {
      userId: 'ada',
      traits: { email: 'ada@example.com' },
      messageId: `l${++n}`,
      timestamp: new Date(clock.now()).toISOString(),
    });
    return saved.json<{ warnings: { path: string; problem: string }[] }>();
  };
  /** Sends one Deal e-mail and returns the hrefs it arrived with. */
  const deal = async (properties: Record<string, unknown>) => {
    const before = smtp.mails.length;
    expect((await track('Deal', properties)).statusCode).toBe(200);
    await settle();
    expect(smtp.mails).toHaveLength(before + 1);
    return hrefs(smtp.mails[before]!.html as string);
  };
  const click = (href: string) => t.app.inject({ method: 'GET', url: TRACKED.exec(href)![1]! });
  const clicks = async () =>
    (await send(t, 'GET', '/v1/events?userId=ada&event=Email%20Link%20Clicked', t.keys.read)).json()
      .events as { payload: { properties: { url: string } } }[];

  it('sends a URL from event data untracked, tracks and redirects the shop link, and warns on save', async () => {
    const saved = await dealJourney(
      '<p><a href="{{ event.properties.url }}">Your deal</a></p>\n<p><a href="https://shop.example.com/sale?from=mail">Sale</a></p>',
    );
    expect(saved.warnings).toEqual([
      {
        path: 'html',
        problem: expect.stringMatching(
          /^line 1: an href takes its host from event data \(event\.properties\.url\): whoever sends events/,
        ),
      },
    ]);
    // The template was saved all the same.
    expect((await send(t, 'GET', '/v1/templates/deal', t.keys.read)).statusCode).toBe(200);

    const [attacker, shop, ...rest] = await deal({ url: ATTACKER });
    expect(attacker).toBe(ATTACKER);
    expect(shop).toMatch(TRACKED);
    expect(rest).toEqual([]);

    const redirect = await click(shop!);
    expect(redirect.statusCode).toBe(302);
    expect(redirect.headers.location).toBe(SALE);
    await settle();
    expect((await clicks()).map((c) => c.payload.properties.url)).toEqual([SALE]);
    const [message] = (await send(t, 'GET', '/v1/messages', t.keys.read)).json().messages;
    expect(message.payload.links).toEqual([{ index: 0, url: SALE }]);
  });

  it('never redirects outside the allow list, even with a validly signed token from before a setting change', async () => {
    await settings({ allowedHosts: ['*.partner.example'] });
    await dealJourney('<a href="https://www.partner.example/offer">Partner</a>');
    const [partner] = await deal({});
    expect(partner).toMatch(TRACKED);

    // The partner leaves the allow list: its signed link stops redirecting, uncounted.
    await settings({});
    const refused = await click(partner!);
    expect(refused.statusCode).toBe(404);
    expect(refused.headers.location).toBeUndefined();
    await settle();
    expect(await clicks()).toEqual([]);
    const [message] = (await send(t, 'GET', '/v1/messages', t.keys.read)).json().messages;
    expect(message.status).toBe('sent');

    // A token signed with the workspace's own secret for an event-data URL, as the code
    // before this change signed one for every link: authentic, and still refused.
    const { linkSecret } = await workspaceSecrets(t.ctx.store.db, clock, 'default');
    const forged = new LinkMaker(PUBLIC_URL, linkSecret).click(
      message.id,
      message.profileId,
      0,
      ATTACKER,
      clock.now(),
    );
    expect((await click(forged)).statusCode).toBe(404);

    // Allowed again, the same link works again.
    await settings({ allowedHosts: ['www.partner.example'] });
    const followed = await click(partner!);
    expect(followed.statusCode).toBe(302);
    expect(followed.headers.location).toBe('https://www.partner.example/offer');
  });

  it('tracks catalog item hosts only with tracking.catalogHosts, which a product event can feed', async () => {
    await dealJourney(
      '<a href="{{ event.properties.url }}">Deal</a><a href="https://brand.example/p/1">Brand</a>',
    );
    const put = await send(t, 'PUT', '/v1/catalog/items', t.keys.write, {
      items: [{ id: 'b1', url: 'https://brand.example/p/1' }],
    });
    expect(put.statusCode, put.body).toBe(200);
    // Any write-key holder can put a host into the catalog through a product event.
    await track('Product Viewed', { product_id: 'x1', url: 'https://evil.example/p/x1' });
    await settle();
    expect(
      (await send(t, 'GET', '/v1/catalog/items/x1', t.keys.read)).json<{ url: string }>().url,
    ).toBe('https://evil.example/p/x1');

    // Off by default: neither catalog host is tracked.
    expect(await deal({ url: ATTACKER })).toEqual([ATTACKER, 'https://brand.example/p/1']);

    // On: both are, the planted one too, which is why it is off by default.
    await settings({ catalogHosts: true });
    const [evil, brand] = await deal({ url: ATTACKER });
    expect(evil).toMatch(TRACKED);
    expect(brand).toMatch(TRACKED);
    expect((await click(brand!)).headers.location).toBe('https://brand.example/p/1');
  });

  it.each([
    ['https://shop.example.com/x', 'must be a host name'],
    ['shop.example.com:8443', 'must be a host name'],
    ['*.com', 'must be a host name'],
    ['ev*l.example', 'must be a host name'],
  ])('refuses tracking.allowedHosts entry %j naming it', async (entry, problem) => {
    const res = await send(t, 'PUT', '/v1/admin/settings', t.keys.admin, {
      tracking: { allowedHosts: ['shop.example.com', entry] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([
      { path: 'tracking.allowedHosts.1', problem: expect.stringContaining(problem) },
    ]);
  });
});
