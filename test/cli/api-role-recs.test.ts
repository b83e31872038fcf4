import { afterAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/cli.js';
import { STORE_KINDS, openTestStore } from '../helpers/stores.js';

const ADMIN = 'api-role-recs-admin-key-0123456789';

/** Polls `probe` until it resolves a truthy value, or fails after `ms`. */
async function eventually<T>(probe: () => Promise<T>, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.each(STORE_KINDS)('recommendations in an API-only process (%s)', (kind) => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it('trains from the log a worker wrote, then follows what the worker commits', async () => {
    const s = await openTestStore(kind);
    cleanup.push(() => s.cleanup());
    await s.store.close();
    const env = {
      ...(s.databaseUrl ? { DATABASE_URL: s.databaseUrl } : { RAPPORT_DATA_DIR: s.dataDir! }),
      RAPPORT_ADMIN_KEY: ADMIN,
    };
    const started: RunningServer[] = [];
    cleanup.push(async () => {
      for (const p of started) p.child.kill('SIGTERM');
      await Promise.all(started.map((p) => p.exited));
    });
    const worker = await startServer(['--role', 'worker'], env);
    started.push(worker);
    const api = await startServer(['--role', 'api'], env);
    started.push(api);
    const call = async (path: string, body?: unknown) => {
      const res = await fetch(`${api.url}${path}`, {
        method: body === undefined ? 'GET' : path.startsWith('/v1/catalog') ? 'PUT' : 'POST',
        headers: {
          authorization: `Bearer ${ADMIN}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const views = (users: string[], items: string[]) =>
      call('/v1/batch', {
        batch: users.flatMap((userId) =>
          items.map((product_id) => ({
            type: 'track',
            userId,
            event: 'Product Viewed',
            properties: { product_id },
          })),
        ),
      });
    const topPopular = async () => {
      const r = await call('/v1/recommendations?strategy=popular&limit=1');
      return (r.body.items as { itemId: string }[])[0]?.itemId;
    };

    expect(
      (
        await call('/v1/catalog/items', {
          items: ['a', 'b', 'c'].map((id) => ({ id, title: id.toUpperCase() })),
        })
      ).status,
    ).toBe(200);
    const first = ['u0', 'u1', 'u2', 'u3'];
    expect((await views(first, ['a', 'b', 'a'])).status).toBe(200);
    // The worker attributes the events; the API process never runs the profile stage.
    await eventually(async () => (await call('/v1/profiles/user_id/u3')).status === 200);

    const trained = await call('/v1/admin/recommendations/train', {});
    expect(trained.status).toBe(200);
    expect(trained.body).toMatchObject({ interactions: 12, items: 3 });
    expect(await topPopular()).toBe('a');

    // Eight more people view c: with no retraining, the API process must see it anyway.
    const next = ['v0', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7'];
    expect((await views(next, ['c'])).status).toBe(200);
    expect(await eventually(async () => ((await topPopular()) === 'c' ? 'c' : null))).toBe('c');
    // Still the version trained above: the change came from following the log.
    const versions = (await call('/v1/admin/recommendations/versions')).body.versions as {
      version: number;
      current: boolean;
    }[];
    expect(versions.find((v) => v.current)?.version).toBe(trained.body.version);
  });
});
