import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, PLATFORM_KEY, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

describe.each(STORE_KINDS)('workspaces and the platform key (%s)', (kind) => {
  let t: TestApp;
  afterEach(async () => {
    await t.close();
  });

  const create = (body: unknown, key = PLATFORM_KEY) =>
    send(t, 'POST', '/v1/admin/workspaces', key, body);

  it('creates a workspace with its own first admin key, shown once', async () => {
    t = await createTestApp(kind, { platform: true });
    const res = await create({ id: 'acme', name: 'Acme' });
    expect(res.statusCode, res.body).toBe(201);
    const made = res.json<{ id: string; name: string; adminKey: string; adminKeyId: string }>();
    expect(made).toMatchObject({ id: 'acme', name: 'Acme', createdAt: expect.any(String) });
    expect(made.adminKey).toMatch(/^rk_admin_/);

    // The key manages acme and sees only acme's keys, templates and segments.
    const keys = await send(t, 'GET', '/v1/admin/keys', made.adminKey);
    expect(keys.json<{ keys: { id: string }[] }>().keys.map((k) => k.id)).toEqual([
      made.adminKeyId,
    ]);
    const templates = await send(t, 'GET', '/v1/templates', made.adminKey);
    expect(templates.json<{ templates: unknown[] }>().templates.length).toBeGreaterThan(0);
    const secret = await send(t, 'GET', '/v1/admin/webhook-secret', made.adminKey);
    const defaultSecret = await send(t, 'GET', '/v1/admin/webhook-secret', t.keys.admin);
    expect(secret.statusCode).toBe(200);
    expect(secret.json<{ fingerprint: string }>().fingerprint).not.toBe(
      defaultSecret.json<{ fingerprint: string }>().fingerprint,
    );

    const list = await send(t, 'GET', '/v1/admin/workspaces', PLATFORM_KEY);
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json()).toEqual({
      workspaces: [
        { id: 'acme', name: 'Acme', createdAt: expect.any(String) },
        { id: 'default', name: 'Default', createdAt: expect.any(String) },
      ],
      nextCursor: null,
    });
    expect(list.body).not.toContain(made.adminKey);
  });

  it('generates an id when none is given, and pages the list', async () => {
    t = await createTestApp(kind, { platform: true });
    const res = await create({ name: 'Unnamed' });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json<{ id: string }>().id;
    expect(id).toMatch(/^ws-[0-9a-f]{12}$/);
    await create({ id: 'zeta', name: 'Zeta' });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v1/admin/workspaces?limit=1${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await send(t, 'GET', url, PLATFORM_KEY)).json<{
        workspaces: { id: string }[];
        nextCursor: string | null;
      }>();
      seen.push(...page.workspaces.map((w) => w.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual(['default', id, 'zeta']);
  });

  it.each([
    [{ id: 'Acme', name: 'x' }, 'id'],
    [{ id: 'a', name: 'x' }, 'id'],
    [{ id: 'acme_corp', name: 'x' }, 'id'],
    [{ id: '-acme', name: 'x' }, 'id'],
    [{ id: 'a'.repeat(41), name: 'x' }, 'id'],
    [{ id: 'acme' }, 'name'],
    [{ id: 'acme', name: '   ' }, 'name'],
  ])('refuses %j naming the field', async (body, field) => {
    t = await createTestApp(kind, { platform: true });
    const res = await create(body);
    expect(res.statusCode, res.body).toBe(400);
    const details = res.json<{ error: { details: { path: string }[] } }>().error.details;
    expect(details.map((d) => d.path)).toContain(field);
  });

  it('answers 409 for an id that exists, keeping the first workspace as it was', async () => {
    t = await createTestApp(kind, { platform: true });
    const first = await create({ id: 'acme', name: 'Acme' });
    expect(first.statusCode).toBe(201);
    const again = await create({ id: 'acme', name: 'Other' });
    expect(again.statusCode, again.body).toBe(409);
    expect((await create({ id: 'default', name: 'Mine' })).statusCode).toBe(409);
    const keys = await send(
      t,
      'GET',
      '/v1/admin/keys',
      first.json<{ adminKey: string }>().adminKey,
    );
    expect(keys.json<{ keys: unknown[] }>().keys).toHaveLength(1);
  });

  it('lets the platform key do nothing but manage workspaces', async () => {
    t = await createTestApp(kind, { platform: true });
    for (const [method, url] of [
      ['GET', '/v1/admin/keys'],
      ['GET', '/v1/profiles'],
      ['POST', '/v1/track'],
      ['GET', '/v1/admin/settings'],
    ] as const) {
      const body = method === 'POST' ? { userId: 'u', event: 'x' } : undefined;
      const res = await send(t, method, url, PLATFORM_KEY, body);
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(403);
      expect(res.body).toContain('platform key only creates and lists workspaces');
    }
    // Workspace keys, admin included, cannot manage workspaces.
    for (const key of Object.values(t.keys)) {
      const res = await create({ id: 'sneaky', name: 'x' }, key);
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain('RAPPORT_PLATFORM_KEY');
    }
  });

  it('has no platform access unless RAPPORT_PLATFORM_KEY is set', async () => {
    t = await createTestApp(kind);
    const res = await create({ id: 'acme', name: 'Acme' });
    expect(res.statusCode).toBe(401);
    const list = await send(t, 'GET', '/v1/admin/workspaces', t.keys.admin);
    expect(list.statusCode).toBe(403);
  });
});
