import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, PLATFORM_KEY, send, type TestApp } from '../helpers/app.js';
import {
  failOnPoison,
  seedWorkspaceA,
  snapshotRows,
  type WorkspaceA,
} from '../helpers/isolation.js';
import { STORE_KINDS } from '../helpers/stores.js';
import { keyedRoutes, pathFor, routeCases } from './isolation-cases.js';

/** What A's own keys see: compared before and after B's calls. */
async function viewsOfA(t: TestApp, a: WorkspaceA): Promise<Record<string, unknown>> {
  const { read, admin, write } = t.keys;
  const views: [string, string][] = [
    [`/v1/profiles/user_id/${a.userId}`, read],
    [`/v1/profiles/user_id/${a.userId}/consent`, read],
    [`/v1/profiles/user_id/${a.userId}/journeys`, read],
    [`/v1/segments/${a.segmentId}`, read],
    [`/v1/segments/${a.segmentId}/members`, read],
    [`/v1/journeys/${a.journeyId}`, read],
    [`/v1/journeys/${a.journeyId}/stats`, read],
    [`/v1/templates/${a.templateId}`, read],
    [`/v1/catalog/items/${a.itemId}`, read],
    ['/v1/messages', read],
    ['/v1/events', read],
    ['/v1/admin/settings', admin],
    ['/v1/admin/webhook-secret', admin],
    ['/v1/admin/keys', admin],
    ['/v1/admin/quarantine', admin],
    ['/v1/admin/recommendations/versions', admin],
    ['/v1/push/vapid-public-key', write],
    [`/v1/recommendations?userId=${a.userId}`, read],
  ];
  const out: Record<string, unknown> = {};
  for (const [url, key] of views) {
    const res = await send(t, 'GET', url, key);
    out[url] = { status: res.statusCode, body: res.json<unknown>() };
  }
  return out;
}

describe.each(STORE_KINDS)('no key of one workspace reaches another (%s)', (kind) => {
  let t: TestApp;
  let a: WorkspaceA;
  let b: { write: string; read: string; admin: string };
  beforeAll(async () => {
    t = await createTestApp(kind, { stages: [failOnPoison], platform: true });
    a = await seedWorkspaceA(t);
    // B is made as an operator would make it: the platform key, then B's own admin key.
    const created = await send(t, 'POST', '/v1/admin/workspaces', PLATFORM_KEY, {
      id: 'bravo',
      name: 'Bravo',
    });
    expect(created.statusCode, created.body).toBe(201);
    const admin = created.json<{ adminKey: string }>().adminKey;
    const mk = async (scope: 'write' | 'read') => {
      const res = await send(t, 'POST', '/v1/admin/keys', admin, { scope });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ key: string }>().key;
    };
    b = { admin, write: await mk('write'), read: await mk('read') };
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  it("calls every keyed route with B's keys on A's ids and never reaches A's data", async () => {
    const routes = await keyedRoutes(t);
    const cases = routeCases(a);
    const workspaceRoutes = routes.filter((r) => r.scope !== 'platform');
    const missing = workspaceRoutes
      .map((r) => `${r.method} ${r.path}`)
      .filter((name) => !(name in cases));
    expect(missing, 'keyed routes without an isolation case').toEqual([]);
    expect(workspaceRoutes.length).toBeGreaterThanOrEqual(60);

    // A's own reads come first: reading recommendations for a person records what was
    // shown (for their trace), and the rows compared below must be changed by B only.
    const viewsBefore = await viewsOfA(t, a);
    // Those records are written off the request path: in the store before the snapshot.
    await t.ctx.exposures.flush();
    const rowsBefore = await snapshotRows(t);
    const failures: string[] = [];
    for (const route of workspaceRoutes) {
      const name = `${route.method} ${route.path}`;
      const c = cases[name]!;
      const query = c.query ? `?${new URLSearchParams(c.query).toString()}` : '';
      const url = pathFor(route.path, a) + query;
      const key = b[route.scope as 'write' | 'read' | 'admin'];
      const res = await send(t, route.method, url, key, c.body);
      const status = res.statusCode;
      const body = res.body.toLowerCase();
      const what = `${name} -> ${status} ${res.body.slice(0, 200)}`;
      if (process.env.ISOLATION_DEBUG) console.log(what);
      if (status >= 500) failures.push(`server error: ${what}`);
      for (const secret of a.secrets) {
        if (body.includes(secret.toLowerCase())) failures.push(`shows A's "${secret}": ${what}`);
      }
      if (c.expect === 'not_found' && status !== 404) failures.push(`expected 404: ${what}`);
      if (c.expect === 'refused' && (status < 400 || status >= 500)) {
        failures.push(`expected a 4xx: ${what}`);
      }
      if (status < 300) {
        for (const id of a.ids)
          if (res.body.includes(id)) failures.push(`names A's ${id}: ${what}`);
      }
    }
    // B's events are folded into B's profiles, never A's.
    for (let i = 0; i < 10 && (await t.ctx.profiles.drain()) > 0; i++);
    expect(failures).toEqual([]);

    await t.ctx.exposures.flush();
    const rowsAfter = await snapshotRows(t);
    for (const [table, before] of rowsBefore) {
      const after = rowsAfter.get(table)!;
      if (before.own) expect(after.rows, `rows of A in ${table}`).toEqual(before.rows);
      else expect(after.rows, `rows in ${table}`).toEqual(expect.arrayContaining(before.rows));
    }
    expect(await viewsOfA(t, a)).toEqual(viewsBefore);

    // The control: the same requests with A's own keys do reach A's things, so each 404
    // above came from the workspace filter, not from a malformed request. Deletions go
    // last, as they remove what the others aim at.
    const aimed = workspaceRoutes.filter((r) => cases[`${r.method} ${r.path}`]!.expect !== 'own');
    const ordered = [
      ...aimed.filter((r) => r.method !== 'DELETE'),
      ...aimed.filter((r) => r.method === 'DELETE'),
    ];
    const unreached: string[] = [];
    for (const route of ordered) {
      // A retried quarantined event is pending again; folding it quarantines it anew.
      if (route.method === 'DELETE') await t.ctx.profiles.drain();
      const c = cases[`${route.method} ${route.path}`]!;
      const query = c.query ? `?${new URLSearchParams(c.query).toString()}` : '';
      const key = t.keys[route.scope as 'write' | 'read' | 'admin'];
      const res = await send(t, route.method, pathFor(route.path, a) + query, key, c.body);
      if (res.statusCode === 404 || res.statusCode === 400 || res.statusCode >= 500) {
        unreached.push(
          `${route.method} ${route.path} -> ${res.statusCode} ${res.body.slice(0, 200)}`,
        );
      }
    }
    expect(unreached, "requests that do not reach A's things even with A's keys").toEqual([]);
    expect(ordered.length).toBeGreaterThanOrEqual(25);
  }, 120_000);

  it('refuses the workspace routes to every workspace key', async () => {
    const routes = (await keyedRoutes(t)).filter((r) => r.scope === 'platform');
    expect(routes.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'GET /v1/admin/workspaces',
      'POST /v1/admin/workspaces',
    ]);
    for (const route of routes) {
      for (const key of [...Object.values(b), ...Object.values(t.keys)]) {
        const res = await send(
          t,
          route.method,
          route.path,
          key,
          route.method === 'POST' ? { name: 'x' } : undefined,
        );
        expect(res.statusCode, `${route.method} ${route.path}: ${res.body}`).toBe(403);
      }
    }
  });
});
