import { readFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { sql } from 'kysely';
import { expect } from 'vitest';
import { send, type TestApp } from '../helpers/app.js';
import { pushSubscription } from '../helpers/isolation.js';
import type { Store } from '../../src/store/index.js';
import { suppress } from '../../src/messaging/consent-store.js';

/** The person erased: distinctive strings, so a scan finds any copy left anywhere. */
export const EVE = {
  userId: 'u-eve-7f3a9c',
  anonymousId: 'anon-eve-7f3a9c',
  email: 'eve.7f3a9c@example.com',
};
/** Someone else, who must come through untouched. */
export const BOB = { userId: 'u-bob-91c2d4', email: 'bob.91c2d4@example.com' };

async function ok(
  t: TestApp,
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  key: string,
  body?: unknown,
) {
  const res = await send(t, method, url, key, body);
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
  return res.json<Record<string, unknown>>();
}

const drain = async (t: TestApp) => {
  for (let i = 0; i < 10 && (await t.ctx.profiles.drain()) > 0; i++);
};

/**
 * Eve and Bob with one of everything in flight: folded and pending events, a refused
 * event, consent (Eve said no to e-mail), push subscriptions, segment membership, a
 * journey waiting between two webhook messages, queued messages, trained recommendation
 * models, and an audited admin action naming Eve.
 */
export async function seedPeople(t: TestApp): Promise<void> {
  const { write, admin } = t.keys;
  const at = new Date(t.clock.now() - 60_000).toISOString();
  await ok(t, 'POST', '/v1/segments', admin, {
    name: 'pros',
    definition: { trait: 'plan', eq: 'pro' },
  });
  await ok(t, 'POST', '/v1/journeys', admin, {
    definition: {
      name: 'welcome',
      trigger: { type: 'event', event: 'Signed Up' },
      start: 'hello',
      steps: [
        {
          id: 'hello',
          type: 'webhook',
          url: 'https://hooks.example/hello',
          body: { to: '{{ profile.traits.email }}' },
          next: 'pause',
        },
        { id: 'pause', type: 'wait', duration: 'P1D', next: 'again' },
        { id: 'again', type: 'webhook', url: 'https://hooks.example/again', next: 'done' },
        { id: 'done', type: 'exit' },
      ],
    },
  });
  const batch = (p: { userId: string; email: string }, anonymousId?: string) => [
    {
      type: 'page',
      messageId: `${p.userId}-p`,
      anonymousId: anonymousId ?? `anon-${p.userId}`,
      name: 'Home',
      timestamp: at,
    },
    {
      type: 'alias',
      messageId: `${p.userId}-a`,
      userId: p.userId,
      previousId: anonymousId ?? `anon-${p.userId}`,
      timestamp: at,
    },
    {
      type: 'identify',
      messageId: `${p.userId}-i`,
      userId: p.userId,
      timestamp: at,
      traits: { email: p.email, plan: 'pro', name: `${p.userId} name` },
    },
    {
      type: 'track',
      messageId: `${p.userId}-s`,
      userId: p.userId,
      event: 'Signed Up',
      timestamp: at,
    },
    ...['sku-1', 'sku-2', 'sku-3'].map((sku, i) => ({
      type: 'track',
      messageId: `${p.userId}-v${i}`,
      userId: p.userId,
      event: 'Product Viewed',
      timestamp: at,
      properties: { product_id: sku },
    })),
  ];
  const refused = [EVE, BOB].map((p) => ({
    type: 'track',
    userId: p.userId,
    messageId: `${p.userId}-bad`,
    properties: { email: p.email },
  }));
  await ok(t, 'POST', '/v1/batch', write, {
    batch: [...batch(EVE, EVE.anonymousId), ...batch(BOB), ...refused],
  });
  // Refused: a track without its event name; the refusal keeps the raw text, naming them.
  await drain(t);
  for (const p of [EVE, BOB]) {
    await ok(t, 'POST', '/v1/push/subscriptions', write, {
      userId: p.userId,
      subscription: pushSubscription(`https://push.example/${p.userId}`),
    });
  }
  await ok(t, 'PUT', `/v1/profiles/user_id/${EVE.userId}/consent`, write, { email: 'denied' });
  await ok(t, 'PUT', `/v1/profiles/user_id/${BOB.userId}/consent`, write, { email: 'granted' });
  for (const p of [EVE, BOB])
    await suppress(t.ctx.store.db, 'default', 'email', p.email, 'bounce', t.clock.now());
  await ok(t, 'POST', '/v1/admin/recommendations/train', admin);
  await ok(t, 'GET', `/v1/profiles/email/${EVE.email}/export`, admin);
  // Pending: in the log, not yet folded, when the erasure starts.
  await ok(t, 'POST', '/v1/track', write, {
    userId: EVE.userId,
    event: 'Product Viewed',
    messageId: 'eve-late',
    properties: { product_id: 'sku-9' },
  });
}

/** Every table of the migrated store. */
export async function tableNames(store: Store): Promise<string[]> {
  const q =
    store.kind === 'sqlite'
      ? sql<{
          name: string;
        }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
      : sql<{
          name: string;
        }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'`;
  return (await q.execute(store.db)).rows.map((r) => r.name).sort();
}

/** Rows of every table (all columns as text) containing `needle`, by table. */
export async function scanTables(
  store: Store,
  needles: readonly string[],
): Promise<Record<string, number>> {
  const found: Record<string, number> = {};
  for (const table of await tableNames(store)) {
    const rows = (
      await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)}`.execute(store.db)
    ).rows;
    for (const row of rows) {
      const text = Object.values(row)
        .map((v) => String(v))
        .join('\u0000');
      for (const n of needles)
        if (text.includes(n)) found[`${table}:${n}`] = (found[`${table}:${n}`] ?? 0) + 1;
    }
  }
  return found;
}

/** Occurrences of each needle in the raw bytes: the SQLite file and its WAL, or a pg_dump. */
export function scanRaw(
  store: Store,
  place: { dataDir?: string; databaseUrl?: string },
  needles: readonly string[],
) {
  const blobs: [string, Buffer][] = [];
  if (store.kind === 'sqlite') {
    for (const f of ['rapport.db', 'rapport.db-wal']) {
      const path = `${place.dataDir!}/${f}`;
      if (existsSync(path)) blobs.push([f, readFileSync(path)]);
    }
  } else {
    blobs.push([
      'pg_dump',
      execFileSync('pg_dump', ['--data-only', place.databaseUrl!], { maxBuffer: 1 << 28 }),
    ]);
  }
  const found: Record<string, number> = {};
  for (const [name, bytes] of blobs) {
    for (const n of needles) {
      let count = 0;
      for (let i = bytes.indexOf(n); i >= 0; i = bytes.indexOf(n, i + 1)) count++;
      if (count > 0) found[`${name}:${n}`] = count;
    }
  }
  return { found, scanned: blobs.map(([n, b]) => `${n} (${b.length} bytes)`) };
}
