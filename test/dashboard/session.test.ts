import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, PLATFORM_KEY, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';
import { SESSION_TTL_MS } from '../../src/workspaces/sessions.js';
import { ManualClock } from '../../src/shared/clock.js';

const HOST = 'dash.test';
const ORIGIN = `http://${HOST}`;

/** Opens a session with `key`; returns the cookie pair to send back (name=value). */
async function signIn(t: TestApp, key: string): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/session',
    headers: { authorization: `Bearer ${key}`, host: HOST },
  });
  expect(res.statusCode, res.body).toBe(201);
  const setCookie = String(res.headers['set-cookie']);
  return setCookie.split(';')[0]!;
}

/** A request with the session cookie only (no key), as the dashboard makes it. */
function withCookie(
  t: TestApp,
  cookie: string,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  options: { origin?: string | null; body?: unknown } = {},
) {
  const origin = options.origin === undefined ? ORIGIN : options.origin;
  return t.app.inject({
    method,
    url,
    headers: {
      cookie,
      host: HOST,
      ...(origin === null ? {} : { origin }),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(options.body === undefined ? {} : { payload: JSON.stringify(options.body) }),
  });
}

const journey = {
  name: 'session journey',
  trigger: { type: 'api' },
  start: 'done',
  steps: [{ id: 'done', type: 'exit' }],
};

describe.each(STORE_KINDS)('dashboard sessions (%s)', (kind) => {
  let t: TestApp;
  let journeyId: string;
  const clock = new ManualClock(Date.UTC(2026, 10, 1, 12));

  beforeAll(async () => {
    t = await createTestApp(kind, { clock });
    const created = await send(t, 'POST', '/v1/journeys', t.keys.admin, {
      definition: journey,
      activate: false,
    });
    expect(created.statusCode, created.body).toBe(201);
    journeyId = created.json<{ id: string }>().id;
  }, 60_000);
  afterAll(() => t.close());

  it('exchanges an admin key for an HttpOnly, SameSite=Strict cookie that stands in for it', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/session',
      headers: { authorization: `Bearer ${t.keys.admin}`, host: HOST },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({
      workspaceId: 'default',
      scope: 'admin',
      expiresAt: new Date(t.clock.now() + SESSION_TTL_MS).toISOString(),
    });
    const [setCookie = '', hint = ''] = res.headers['set-cookie'] as string[];
    expect(setCookie).toMatch(/^rapport_session=rs_[A-Za-z0-9_-]{43};/);
    // The page's hint that a session may exist: no secret, so readable by the page.
    expect(hint).toBe(
      `rapport_signed_in=1; Max-Age=${SESSION_TTL_MS / 1000}; Path=/; SameSite=Strict`,
    );
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).toContain(`Max-Age=${SESSION_TTL_MS / 1000}`);
    // Plain http here: Secure would make the browser drop the cookie.
    expect(setCookie).not.toContain('Secure');
    const cookie = setCookie.split(';')[0]!;

    const me = await withCookie(t, cookie, 'GET', '/v1/session');
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json()).toMatchObject({ workspaceId: 'default', scope: 'admin' });
    const list = await withCookie(t, cookie, 'GET', '/v1/journeys');
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json<{ journeys: { id: string }[] }>().journeys.map((j) => j.id)).toContain(
      journeyId,
    );
    // A mutation from the dashboard's own origin goes through.
    const activate = await withCookie(t, cookie, 'POST', `/v1/journeys/${journeyId}/activate`);
    expect(activate.statusCode, activate.body).toBe(200);
    const pause = await withCookie(t, cookie, 'POST', `/v1/journeys/${journeyId}/pause`);
    expect(pause.statusCode, pause.body).toBe(200);
    expect(pause.json<{ status: string }>().status).toBe('paused');
  });

  it('refuses a cookie-signed mutation from another origin or without an Origin (CSRF)', async () => {
    const cookie = await signIn(t, t.keys.admin);
    const url = `/v1/journeys/${journeyId}/activate`;
    const cross = await withCookie(t, cookie, 'POST', url, { origin: 'https://evil.example' });
    expect(cross.statusCode, cross.body).toBe(403);
    expect(cross.body).toContain('Origin https://evil.example is not this server');
    const none = await withCookie(t, cookie, 'POST', url, { origin: null });
    expect(none.statusCode, none.body).toBe(403);
    expect(none.body).toContain('without an Origin header');
    // Neither changed anything.
    const after = await send(t, 'GET', `/v1/journeys/${journeyId}`, t.keys.admin);
    expect(after.json<{ status: string }>().status).toBe('paused');
    // Reads need no Origin: the cookie is SameSite=Strict and a read changes nothing.
    const read = await withCookie(t, cookie, 'GET', '/v1/journeys', { origin: null });
    expect(read.statusCode, read.body).toBe(200);
  });

  it('gives a read key a session that sees everything and changes nothing', async () => {
    const cookie = await signIn(t, t.keys.read);
    const me = await withCookie(t, cookie, 'GET', '/v1/session');
    expect(me.json()).toMatchObject({ scope: 'read' });
    expect((await withCookie(t, cookie, 'GET', '/v1/journeys')).statusCode).toBe(200);
    expect((await withCookie(t, cookie, 'GET', '/v1/stats/overview')).statusCode).toBe(200);
    const activate = await withCookie(t, cookie, 'POST', `/v1/journeys/${journeyId}/activate`);
    expect(activate.statusCode, activate.body).toBe(403);
    expect(activate.body).toContain('the key sent has the read scope');
    const segment = await withCookie(t, cookie, 'POST', '/v1/segments', {
      body: { name: 'nope', definition: { trait: 'plan', eq: 'pro' } },
    });
    expect(segment.statusCode, segment.body).toBe(403);
    const track = await withCookie(t, cookie, 'POST', '/v1/track', {
      body: { userId: 'u-1', event: 'Viewed' },
    });
    expect(track.statusCode, track.body).toBe(403);
  });

  it('opens sessions for admin and read keys only', async () => {
    const write = await t.app.inject({
      method: 'POST',
      url: '/v1/session',
      headers: { authorization: `Bearer ${t.keys.write}` },
    });
    expect(write.statusCode, write.body).toBe(403);
    expect(write.headers['set-cookie']).toBeUndefined();
    const made = await send(t, 'POST', '/v1/admin/keys', t.keys.admin, { scope: 'public' });
    const publicKey = made.json<{ key: string }>().key;
    const browserKey = await t.app.inject({
      method: 'POST',
      url: '/v1/session',
      headers: { authorization: `Bearer ${publicKey}` },
    });
    expect(browserKey.statusCode, browserKey.body).toBe(403);
    expect(browserKey.body).toContain('A public key may not call this endpoint');
    expect(browserKey.headers['set-cookie']).toBeUndefined();
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/v1/session',
      headers: { authorization: 'Bearer rk_admin_nope' },
    });
    expect(unknown.statusCode).toBe(401);
    // A session cannot renew itself: a new one needs the key.
    const cookie = await signIn(t, t.keys.admin);
    const renew = await withCookie(t, cookie, 'POST', '/v1/session');
    expect(renew.statusCode, renew.body).toBe(400);
    expect(renew.json().error.details[0].path).toBe('headers.authorization');
  });

  it('ends on sign-out, on expiry, and when its key is revoked', async () => {
    const cookie = await signIn(t, t.keys.admin);
    const out = await withCookie(t, cookie, 'DELETE', '/v1/session');
    expect(out.statusCode, out.body).toBe(204);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    const after = await withCookie(t, cookie, 'GET', '/v1/journeys');
    expect(after.statusCode).toBe(401);
    expect(after.body).toContain('signed out');

    const expiring = await signIn(t, t.keys.read);
    clock.advance(SESSION_TTL_MS);
    const expired = await withCookie(t, expiring, 'GET', '/v1/journeys');
    expect(expired.statusCode).toBe(401);
    expect(expired.body).toContain('expired');

    const made = await send(t, 'POST', '/v1/admin/keys', t.keys.admin, { scope: 'read' });
    const { id, key } = made.json<{ id: string; key: string }>();
    const revocable = await signIn(t, key);
    expect((await withCookie(t, revocable, 'GET', '/v1/journeys')).statusCode).toBe(200);
    const revoked = await send(t, 'DELETE', `/v1/admin/keys/${id}`, t.keys.admin);
    expect(revoked.statusCode, revoked.body).toBeLessThan(300);
    const dead = await withCookie(t, revocable, 'GET', '/v1/journeys');
    expect(dead.statusCode).toBe(401);
    expect(dead.body).toContain('no longer works');

    const forged = await withCookie(t, 'rapport_session=rs_forged', 'GET', '/v1/journeys');
    expect(forged.statusCode).toBe(401);
  });

  it("keeps a session to its key's workspace", async () => {
    const other = await createTestApp(kind, { platform: true });
    try {
      const made = await send(other, 'POST', '/v1/admin/workspaces', PLATFORM_KEY, {
        id: 'bravo',
        name: 'Bravo',
      });
      expect(made.statusCode, made.body).toBe(201);
      const mine = await send(other, 'POST', '/v1/journeys', other.keys.admin, {
        definition: journey,
        activate: false,
      });
      const id = mine.json<{ id: string }>().id;
      const bravo = await signIn(other, made.json<{ adminKey: string }>().adminKey);
      const me = await withCookie(other, bravo, 'GET', '/v1/session');
      expect(me.json()).toMatchObject({ workspaceId: 'bravo', scope: 'admin' });
      const theirs = await withCookie(other, bravo, 'GET', `/v1/journeys/${id}`);
      expect(theirs.statusCode, theirs.body).toBe(404);
      const act = await withCookie(other, bravo, 'POST', `/v1/journeys/${id}/activate`);
      expect(act.statusCode, act.body).toBe(404);
      // The platform key opens no session: it belongs to no workspace.
      const platform = await other.app.inject({
        method: 'POST',
        url: '/v1/session',
        headers: { authorization: `Bearer ${PLATFORM_KEY}` },
      });
      expect(platform.statusCode, platform.body).toBe(403);
    } finally {
      await other.close();
    }
  });

  it('records sign-ins and sign-outs in the audit log', async () => {
    const cookie = await signIn(t, t.keys.read);
    await withCookie(t, cookie, 'DELETE', '/v1/session');
    const audit = await send(t, 'GET', '/v1/admin/audit?limit=100', t.keys.admin);
    expect(audit.statusCode, audit.body).toBe(200);
    const actions = audit.json<{ entries: { action: string }[] }>().entries.map((e) => e.action);
    expect(actions).toContain('session.create');
    expect(actions).toContain('session.delete');
  });

  it('marks the cookie Secure when the public URL is https', async () => {
    const https = await createTestApp(kind, { publicUrl: 'https://rapport.example' });
    try {
      const res = await https.app.inject({
        method: 'POST',
        url: '/v1/session',
        headers: { authorization: `Bearer ${https.keys.admin}` },
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(String(res.headers['set-cookie'])).toContain('Secure');
      // The public URL's origin counts as the dashboard's own.
      const cookie = String(res.headers['set-cookie']).split(';')[0]!;
      const ok = await https.app.inject({
        method: 'POST',
        url: '/v1/admin/profiles/model/refresh',
        headers: { cookie, origin: 'https://rapport.example' },
      });
      expect(ok.statusCode, ok.body).toBe(200);
    } finally {
      await https.close();
    }
  });
});
