import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LinkMaker } from '../../src/messaging/links.js';
import { ManualClock } from '../../src/shared/clock.js';
import { workspaceSecrets } from '../../src/workspaces/index.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

describe.each(STORE_KINDS)(
  'templates, consent API, preference center and tracking (%s)',
  (kind) => {
    let t: TestApp;
    let clock: ManualClock;
    beforeEach(async () => {
      clock = new ManualClock(Date.UTC(2026, 5, 1, 12));
      t = await createTestApp(kind, { clock, publicUrl: 'https://r.example.com' });
      await send(t, 'POST', '/v1/identify', t.keys.write, {
        userId: 'eve',
        traits: { first_name: 'Eve', email: 'eve@example.com', plan: 'pro' },
      });
      await t.ctx.profiles.drain();
    });
    afterEach(async () => {
      await t.close();
    });

    it('refuses a template that does not parse, with field, line and column', async () => {
      const res = await send(t, 'POST', '/v1/templates', t.keys.admin, {
        id: 'broken',
        name: 'Broken',
        channel: 'email',
        subject: 'Hi',
        html: '<p>line one</p>\n<p>{% if profile.traits.plan %}pro</p>',
      });
      expect(res.statusCode).toBe(400);
      const [detail] = res.json().error.details;
      expect(detail.path).toBe('html');
      expect(detail.problem).toMatch(/^line 2, column \d+:/);
      expect((await send(t, 'GET', '/v1/templates/broken', t.keys.read)).statusCode).toBe(404);
    });

    it('previews with any person, falling back to defaults, and honours a personalization opt-out', async () => {
      const created = await send(t, 'POST', '/v1/templates', t.keys.admin, {
        id: 'hello',
        name: 'Hello',
        channel: 'email',
        subject:
          'Hi {{ profile.traits.first_name | default: "there" }} ({{ profile.traits.plan }})',
        html: '<p>{{ profile.traits.nickname | default: "friend" }}</p>',
      });
      expect(created.statusCode).toBe(201);
      const preview = await send(t, 'POST', '/v1/templates/hello/preview', t.keys.admin, {
        value: 'eve',
      });
      expect(preview.json()).toMatchObject({
        personalized: true,
        fields: { subject: 'Hi Eve (pro)', html: '<p>friend</p>' },
      });

      const put = await send(t, 'PUT', '/v1/profiles/user_id/eve/consent', t.keys.write, {
        personalization: false,
        email: true,
        topics: { offers: 'denied' },
      });
      expect(put.statusCode).toBe(200);
      expect(put.json()).toMatchObject({
        channels: { email: { state: 'granted', source: 'api' } },
        topics: { offers: { state: 'denied' } },
        personalization: { state: 'denied' },
      });
      const plain = await send(t, 'POST', '/v1/templates/hello/preview', t.keys.admin, {
        value: 'eve',
      });
      // Opted out of personalization: the name still addresses her, the plan is not used.
      expect(plain.json()).toMatchObject({ personalized: false, fields: { subject: 'Hi Eve ()' } });

      const bad = await send(t, 'PUT', '/v1/profiles/user_id/eve/consent', t.keys.write, {
        email: 'maybe',
        fax: true,
      });
      expect(bad.statusCode).toBe(400);
      expect(
        bad
          .json()
          .error.details.map((d: { path: string }) => d.path)
          .sort(),
      ).toEqual(['', 'email']);
    });

    it('takes consent from identify traits', async () => {
      await send(t, 'POST', '/v1/identify', t.keys.write, {
        userId: 'eve',
        traits: { email_opt_in: false },
      });
      await t.ctx.profiles.drain();
      const c = (await send(t, 'GET', '/v1/profiles/user_id/eve/consent', t.keys.read)).json();
      expect(c.channels.email).toMatchObject({ state: 'denied', source: 'identify' });
    });

    it('serves the preference center at a signed, expiring link and saves the form', async () => {
      const profileId = (await send(t, 'GET', '/v1/profiles/user_id/eve', t.keys.read)).json().id;
      const { linkSecret } = await workspaceSecrets(t.ctx.store.db, clock, 'default');
      const links = new LinkMaker('https://r.example.com', linkSecret);
      const path = new URL(links.preferences('default', profileId, clock.now(), 3_600_000))
        .pathname;
      const page = await t.app.inject({ method: 'GET', url: path });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.body).toContain('name="channel:email"');
      const saved = await t.app.inject({
        method: 'POST',
        url: path,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'channel:push=on&personalization=on&submitted=1',
      });
      expect(saved.statusCode).toBe(200);
      const c = (await send(t, 'GET', '/v1/profiles/user_id/eve/consent', t.keys.read)).json();
      expect(c.channels.email.state).toBe('denied');
      expect(c.channels.push.state).toBe('granted');
      expect(c.personalization).toMatchObject({ state: 'granted', source: 'preference_center' });

      const tampered = path.slice(0, -3) + (path.endsWith('AAA') ? 'BBB' : 'AAA');
      expect((await t.app.inject({ method: 'GET', url: tampered })).statusCode).toBe(404);
      clock.advance(3_600_001);
      expect((await t.app.inject({ method: 'GET', url: path })).statusCode).toBe(410);
      // GET on an unsubscribe link never unsubscribes (link scanners follow GETs).
      const unsub = new URL(links.unsubscribe('default', profileId, 'email', 'msg_x', clock.now()))
        .pathname;
      expect((await t.app.inject({ method: 'GET', url: unsub })).body).toContain(
        '<form method="post"',
      );
      expect(
        (await send(t, 'GET', '/v1/profiles/user_id/eve/consent', t.keys.read)).json().channels
          .email.source,
      ).toBe('preference_center');
    });

    it('refuses tampered tracking links and bad push subscriptions', async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: '/t/c/eyJtIjoibm9wZSJ9.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      });
      expect(res.statusCode).toBe(404);
      const pixel = await t.app.inject({ method: 'GET', url: '/t/o/garbage' });
      expect(pixel.statusCode).toBe(404);
      expect(pixel.headers['content-type']).toContain('image/gif');
      const bad = await send(t, 'POST', '/v1/push/subscriptions', t.keys.write, {
        userId: 'eve',
        subscription: {
          endpoint: 'http://push.example.com/x',
          keys: { p256dh: 'short', auth: 'x' },
        },
      });
      expect(bad.statusCode).toBe(400);
      expect(
        bad
          .json()
          .error.details.map((d: { path: string }) => d.path)
          .sort(),
      ).toEqual(['subscription.endpoint', 'subscription.keys.auth', 'subscription.keys.p256dh']);
    });
  },
);
