import { afterAll, describe, expect, it } from 'vitest';
import { runCli, startServer, type RunningServer } from '../helpers/cli.js';
import { STORE_KINDS, openTestStore, type TestStore } from '../helpers/stores.js';

const ADMIN = 'train-cli-admin-key-0123456789';

describe.each(STORE_KINDS)('rapport train (%s)', (kind) => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it(
    'retrains a running server, which then serves the new version',
    { timeout: 90_000 },
    async () => {
      const s: TestStore = await openTestStore(kind);
      cleanup.push(() => s.cleanup());
      await s.store.close();
      const env = {
        ...(s.databaseUrl ? { DATABASE_URL: s.databaseUrl } : { RAPPORT_DATA_DIR: s.dataDir! }),
        RAPPORT_ADMIN_KEY: ADMIN,
      };
      const server: RunningServer = await startServer([], env);
      cleanup.push(async () => {
        server.child.kill('SIGTERM');
        await server.exited;
      });
      const post = (path: string, body: unknown) =>
        fetch(`${server.url}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      await fetch(`${server.url}/v1/catalog/items`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          items: [
            { id: 'a', title: 'A' },
            { id: 'b', title: 'B' },
            { id: 'c', title: 'C' },
          ],
        }),
      });
      const views = [];
      for (let u = 0; u < 6; u++)
        for (const item of ['a', 'b', 'a'])
          views.push({
            type: 'track',
            userId: `u${u}`,
            event: 'Product Viewed',
            properties: { product_id: item },
          });
      expect((await post('/v1/batch', { batch: views })).status).toBe(200);
      await new Promise((r) => setTimeout(r, 500));

      const res = await runCli(['train', '--url', server.url], {
        RAPPORT_ADMIN_KEY: ADMIN,
        CI: 'true',
      });
      // Off a terminal the progress is plain lines, the last one complete.
      expect(res.stderr).toMatch(/^train: 100% 1\/1 model .*training=[\d.]+ s\n$/m);
      expect(
        res.stderr
          .trim()
          .split('\n')
          .every((l) => l.startsWith('train: ')),
      ).toBe(true);
      expect(res.code).toBe(0);
      expect(res.stdout).toMatch(
        /^Trained version \d+ from 18 interactions over 3 items in [\d.]+ s; it now serves\.\nPersonalized: kept the defaults: too little data to validate on: \d+ people bought or viewed something new in the latest 15% of interactions, 50 are needed\.\n$/,
      );
      const recs = (await (
        await fetch(`${server.url}/v1/recommendations?strategy=popular&limit=2`, {
          headers: { authorization: `Bearer ${ADMIN}` },
        })
      ).json()) as { items: { itemId: string }[] };
      expect(recs.items.map((i) => i.itemId)).toEqual(['a', 'b']);

      // --uplift trains a journey's uplift model: an unknown journey is named back.
      const uplift = await runCli(['train', '--url', server.url, '--uplift', 'nope'], {
        RAPPORT_ADMIN_KEY: ADMIN,
      });
      expect(uplift.code).not.toBe(0);
      expect(uplift.stderr).toContain('No journey "nope"');
      const noKey = await runCli(['train', '--url', server.url], { RAPPORT_ADMIN_KEY: '' });
      expect(noKey.code).not.toBe(0);
      expect(noKey.stderr).toContain('--key');
      const down = await runCli(['train', '--url', 'http://127.0.0.1:9', '--key', ADMIN]);
      expect(down.code).not.toBe(0);
      expect(down.stderr).toContain('is it running?');
    },
  );
});
