import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { createApiKey } from '../../src/workspaces/index.js';
import { ADMIN_KEY, createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

interface KeyRow {
  id: string;
  scope: string;
  name: string | null;
  prefix: string;
  status: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

const HOUR = 3_600_000;

describe.each(STORE_KINDS)('API keys over HTTP (%s)', (kind) => {
  let t: TestApp;
  let clock: ManualClock;
  beforeAll(async () => {
    clock = new ManualClock(Date.UTC(2026, 10, 1, 12));
    t = await createTestApp(kind, { clock });
  });
  afterAll(() => t.close());

  const list = async (key = t.keys.admin) => {
    const res = await send(t, 'GET', '/v1/admin/keys', key);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ keys: KeyRow[] }>().keys;
  };
  const create = async (body: Record<string, unknown>, key = t.keys.admin) => {
    const res = await send(t, 'POST', '/v1/admin/keys', key, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<KeyRow & { key: string }>();
  };
  const track = (key: string) =>
    send(t, 'POST', '/v1/track', key, { userId: 'u1', event: 'Viewed', messageId: `m-${key}` });

  it('lists the workspace keys with id, scope, prefix and dates, never a key or its hash', async () => {
    const made = await create({ scope: 'read', name: 'dashboard' });
    expect(made).toMatchObject({ scope: 'read', name: 'dashboard', expiresAt: null });
    expect(made.key).toMatch(/^rk_read_/);
    const res = await send(t, 'GET', '/v1/admin/keys', t.keys.admin);
    for (const secret of [made.key, t.keys.write, t.keys.read, t.keys.admin]) {
      expect(res.body).not.toContain(secret);
      expect(res.body).not.toContain(secret.slice(12));
    }
    expect(res.body).not.toMatch(/hash/i);
    const keys = res.json<{ keys: KeyRow[] }>().keys;
    // Oldest first; these four were made at the same instant.
    expect(keys.map((k) => k.scope).sort()).toEqual(['admin', 'read', 'read', 'write']);
    expect(keys.find((k) => k.id === made.id)).toEqual({
      id: made.id,
      scope: 'read',
      name: 'dashboard',
      prefix: made.key.slice(0, 12),
      status: 'active',
      createdAt: new Date(clock.now()).toISOString(),
      expiresAt: null,
      revokedAt: null,
    });
    // The list is admin only.
    expect((await send(t, 'GET', '/v1/admin/keys', t.keys.read)).statusCode).toBe(403);
  });

  it('revokes a key so the very next request with it answers 401; revoking again is a no-op', async () => {
    const made = await create({ scope: 'write' });
    expect((await track(made.key)).statusCode).toBe(200);
    const res = await send(t, 'DELETE', `/v1/admin/keys/${made.id}`, t.keys.admin);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: made.id, status: 'revoked' });
    const after = await track(made.key);
    expect(after.statusCode).toBe(401);
    expect(after.json().error.message).toMatch(/revoked at .*new key/);

    clock.advance(1000);
    const again = await send(t, 'DELETE', `/v1/admin/keys/${made.id}`, t.keys.admin);
    expect(again.statusCode).toBe(200);
    expect(again.json().revokedAt).toBe(res.json().revokedAt);
    expect((await list()).find((k) => k.id === made.id)?.status).toBe('revoked');
  });

  it('answers 404 for an unknown key id', async () => {
    const res = await send(t, 'DELETE', '/v1/admin/keys/key_nope', t.keys.admin);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.message).toContain('GET /v1/admin/keys');
    const rot = await send(t, 'POST', '/v1/admin/keys/key_nope/rotate', t.keys.admin, {});
    expect(rot.statusCode).toBe(404);
  });

  it('expires a key at expiresIn, answering 401 saying so and what to do', async () => {
    const made = await create({ scope: 'write', expiresIn: 'PT2H' });
    expect(made.expiresAt).toBe(new Date(clock.now() + 2 * HOUR).toISOString());
    expect((await track(made.key)).statusCode).toBe(200);
    clock.advance(2 * HOUR - 1);
    expect((await track(made.key)).statusCode).toBe(200);
    clock.advance(1);
    const res = await track(made.key);
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toMatchObject({
      code: 'unauthorized',
      message: expect.stringMatching(/expired at .*POST \/v1\/admin\/keys.*rapport keys create/),
    });
    expect((await list()).find((k) => k.id === made.id)?.status).toBe('expired');
  });

  it('takes an expiresAt date in the future', async () => {
    const at = new Date(clock.now() + 90 * 24 * HOUR).toISOString();
    const made = await create({ scope: 'read', expiresAt: at });
    expect(made.expiresAt).toBe(at);
  });

  it('rotates: a new key with the same scope, name and lifetime; the old one works through the grace period', async () => {
    const old = await create({ scope: 'write', name: 'shop', expiresIn: 'P30D' });
    clock.advance(HOUR);
    const res = await send(t, 'POST', `/v1/admin/keys/${old.id}/rotate`, t.keys.admin, {
      graceSeconds: 600,
    });
    expect(res.statusCode, res.body).toBe(201);
    const rotated = res.json<KeyRow & { key: string; previous: KeyRow }>();
    expect(rotated).toMatchObject({
      scope: 'write',
      name: 'shop',
      expiresAt: new Date(clock.now() + 30 * 24 * HOUR).toISOString(),
      previous: {
        id: old.id,
        status: 'active',
        expiresAt: new Date(clock.now() + 600_000).toISOString(),
      },
    });
    expect(rotated.id).not.toBe(old.id);
    expect(rotated.key).not.toBe(old.key);
    expect((await track(old.key)).statusCode).toBe(200);
    expect((await track(rotated.key)).statusCode).toBe(200);
    clock.advance(600_000);
    expect((await track(old.key)).statusCode).toBe(401);
    expect((await track(rotated.key)).statusCode).toBe(200);

    // An expired (or revoked) key has nothing to hand over.
    const again = await send(t, 'POST', `/v1/admin/keys/${old.id}/rotate`, t.keys.admin, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain('expired');
  });

  it('rotates with the default grace of one day, or none with graceSeconds 0', async () => {
    const a = await create({ scope: 'read' });
    const res = await send(t, 'POST', `/v1/admin/keys/${a.id}/rotate`, t.keys.admin, {});
    expect(res.statusCode).toBe(201);
    expect(res.json().previous.expiresAt).toBe(new Date(clock.now() + 24 * HOUR).toISOString());
    expect(res.json().expiresAt).toBeNull();

    const b = await create({ scope: 'read' });
    const now = await send(t, 'POST', `/v1/admin/keys/${b.id}/rotate`, t.keys.admin, {
      graceSeconds: 0,
    });
    expect(now.json().previous.status).toBe('expired');
    expect((await send(t, 'GET', '/v1/profiles', b.key)).statusCode).toBe(401);
    expect((await send(t, 'GET', '/v1/profiles', now.json().key)).statusCode).toBe(200);
  });

  it.each([
    ['an unknown scope', { scope: 'owner' }, 'scope'],
    ['no scope', {}, 'scope'],
    ['a bad duration', { scope: 'read', expiresIn: 'P1M' }, 'expiresIn'],
    ['a duration of nothing', { scope: 'read', expiresIn: 'PT0S' }, 'expiresIn'],
    ['a duration past 10 years', { scope: 'read', expiresIn: 'P3651D' }, 'expiresIn'],
    [
      'both expiresAt and expiresIn',
      { scope: 'read', expiresIn: 'P1D', expiresAt: '2027-01-01T00:00:00Z' },
      'expiresIn',
    ],
    ['a date that is not one', { scope: 'read', expiresAt: 'tomorrow' }, 'expiresAt'],
    ['a date in the past', { scope: 'read', expiresAt: '2020-01-01T00:00:00Z' }, 'expiresAt'],
    ['an empty name', { scope: 'read', name: ' ' }, 'name'],
  ])('refuses creating with %s (400 naming the field)', async (_, body, field) => {
    const res = await send(t, 'POST', '/v1/admin/keys', t.keys.admin, body);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.details.map((d: { path: string }) => d.path)).toContain(field);
  });

  it.each([
    ['a negative grace', { graceSeconds: -1 }],
    ['a fractional grace', { graceSeconds: 1.5 }],
    ['a grace past 30 days', { graceSeconds: 30 * 86_400 + 1 }],
    ['a grace as text', { graceSeconds: '60' }],
  ])('refuses rotating with %s (400 naming graceSeconds)', async (_, body) => {
    const k = await create({ scope: 'read' });
    const res = await send(t, 'POST', `/v1/admin/keys/${k.id}/rotate`, t.keys.admin, body);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.details[0].path).toBe('graceSeconds');
    expect((await list()).find((x) => x.id === k.id)?.status).toBe('active');
  });

  it('keeps workspaces apart: a key of workspace B neither sees nor touches the keys of A', async () => {
    await t.ctx.store.db
      .insertInto('workspaces')
      .values({ id: 'ws_b', name: 'B', created_at: clock.now() })
      .execute();
    const bAdmin = (
      await createApiKey(t.ctx.store.db, clock, { workspaceId: 'ws_b', scope: 'admin' })
    ).key;
    const aKeys = await list();
    const bList = await list(bAdmin);
    expect(bList).toHaveLength(1);
    expect(bList[0]!.scope).toBe('admin');
    const aWrite = aKeys.find((k) => k.scope === 'write' && k.status === 'active')!;
    const revoke = await send(t, 'DELETE', `/v1/admin/keys/${aWrite.id}`, bAdmin);
    expect(revoke.statusCode).toBe(404);
    const rotate = await send(t, 'POST', `/v1/admin/keys/${aWrite.id}/rotate`, bAdmin, {});
    expect(rotate.statusCode).toBe(404);
    expect((await list()).find((k) => k.id === aWrite.id)?.status).toBe('active');
    expect((await track(t.keys.write)).statusCode).toBe(200);
  });

  it("refuses revoking the workspace's last working admin key (409), and allows it once another exists", async () => {
    const admins = (await list()).filter((k) => k.scope === 'admin' && k.status === 'active');
    expect(admins).toHaveLength(1);
    const only = admins[0]!;
    const res = await send(t, 'DELETE', `/v1/admin/keys/${only.id}`, t.keys.admin);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toMatch(
      /last working admin key.*Create another admin key first/,
    );
    expect((await send(t, 'GET', '/v1/admin/keys', t.keys.admin)).statusCode).toBe(200);

    // An admin key that will expire does not count once it has.
    const shortLived = await create({ scope: 'admin', expiresIn: 'PT1M' });
    clock.advance(60_000);
    expect((await send(t, 'DELETE', `/v1/admin/keys/${only.id}`, t.keys.admin)).statusCode).toBe(
      409,
    );

    const next = await create({ scope: 'admin', name: 'next admin' });
    const ok = await send(t, 'DELETE', `/v1/admin/keys/${only.id}`, next.key);
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await send(t, 'GET', '/v1/admin/keys', t.keys.admin)).statusCode).toBe(401);
    const last = await send(t, 'DELETE', `/v1/admin/keys/${next.id}`, next.key);
    expect(last.statusCode).toBe(409);
    // Revoking an expired admin key is fine: it no longer works anyway.
    expect((await send(t, 'DELETE', `/v1/admin/keys/${shortLived.id}`, next.key)).statusCode).toBe(
      200,
    );
  });

  it('lets only one of two simultaneous revocations of the last two admin keys through', async () => {
    const admins = () => list(ADMIN_KEY).then((ks) => ks.filter((k) => k.scope === 'admin'));
    const extra = await create({ scope: 'admin' }, ADMIN_KEY);
    const active = (await admins()).filter((k) => k.status === 'active');
    expect(active).toHaveLength(2);
    const codes = await Promise.all(
      active.map((k) => send(t, 'DELETE', `/v1/admin/keys/${k.id}`, ADMIN_KEY)),
    );
    expect(codes.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect((await admins()).filter((k) => k.status === 'active')).toHaveLength(1);
    expect(active.map((k) => k.id)).toContain(extra.id);
  });
});
