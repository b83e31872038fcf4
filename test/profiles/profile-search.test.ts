import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

const KEY = Buffer.alloc(32, 9).toString('base64');

interface Found {
  profiles: { id: string; name?: string | null; identities: { kind: string; value: string }[] }[];
  nextCursor: string | null;
  scanned?: number;
}

describe.each(STORE_KINDS)('finding people by name and e-mail (%s)', (kind) => {
  let t: TestApp;
  afterEach(async () => {
    await t.close();
  });

  const start = async (encrypted: boolean) => {
    t = await createTestApp(kind, encrypted ? { encryption: { key: KEY } } : {});
    const people = [
      ['u-ada', 'Ada@Example.com', { first_name: 'Ada', last_name: 'Lovelace' }],
      ['u-adam', 'adam@example.com', { name: 'Adam Smith' }],
      ['u-grace', 'grace@example.com', { firstName: 'Grace', lastName: 'Hopper' }],
      ['u-anon', 'nobody@example.com', {}],
    ] as const;
    const batch = people.map(([userId, email, traits], i) => ({
      type: 'identify',
      userId,
      messageId: `m-${i}`,
      traits: { email, ...traits },
    }));
    expect((await send(t, 'POST', '/v1/batch', t.keys.write, { batch })).statusCode).toBe(200);
    await t.ctx.profiles.drain();
  };
  const find = async (query: string) => {
    const res = await send(t, 'GET', `/v1/profiles?${query}`, t.keys.read);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Found>();
  };
  const userIds = (found: Found) =>
    found.profiles.map((p) => p.identities.find((i) => i.kind === 'user_id')?.value).sort();

  it.each([false, true])('finds by words starting the name (encrypted: %s)', async (encrypted) => {
    await start(encrypted);
    const ada = await find('name=ada');
    expect(userIds(ada)).toEqual(['u-ada', 'u-adam']);
    expect(ada.scanned).toBe(4);
    expect(ada.nextCursor).toBeNull();
    expect(ada.profiles.map((p) => p.name).sort()).toEqual(['Ada Lovelace', 'Adam Smith']);
    expect(userIds(await find('name=love%20ADA'))).toEqual(['u-ada']);
    expect(userIds(await find('name=hopper'))).toEqual(['u-grace']);
    expect(userIds(await find('name=lace'))).toEqual([]);
  });

  it('pages a name search with the cursor, each person once', async () => {
    await start(false);
    const found: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 5; pages++) {
      const page: Found = await find(`name=ada&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.profiles.length).toBeLessThanOrEqual(1);
      found.push(...page.profiles.map((p) => p.name ?? ''));
      cursor = page.nextCursor;
      if (cursor === null) break;
    }
    expect(cursor).toBeNull();
    expect(found.sort()).toEqual(['Ada Lovelace', 'Adam Smith']);
  });

  it('reads at most 2,000 people a request and goes on from the cursor', async () => {
    await start(false);
    const batch = Array.from({ length: 2001 }, (_, i) => ({
      type: 'identify',
      userId: `bulk-${i}`,
      messageId: `bulk-${i}`,
      traits: { name: i === 2000 ? 'Ada Byron' : `Person ${i}` },
    }));
    for (let i = 0; i < batch.length; i += 1000) {
      const part = { batch: batch.slice(i, i + 1000) };
      expect((await send(t, 'POST', '/v1/batch', t.keys.write, part)).statusCode).toBe(200);
    }
    await t.ctx.profiles.drain();
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Found = await find(`name=ada${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.scanned).toBeLessThanOrEqual(2000);
      for (const p of page.profiles) seen.add(p.name ?? '');
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null);
    expect(pages).toBe(2);
    expect([...seen].sort()).toEqual(['Ada Byron', 'Ada Lovelace', 'Adam Smith']);
  });

  it.each([false, true])('finds a whole e-mail address (encrypted: %s)', async (encrypted) => {
    await start(encrypted);
    expect(userIds(await find('q=ADA%40example.com'))).toEqual(['u-ada']);
    // A prefix of an address matches only when addresses are stored in clear.
    expect(userIds(await find('q=grace%40'))).toEqual(encrypted ? [] : ['u-grace']);
    expect(userIds(await find('q=u-ad'))).toEqual(['u-ada', 'u-adam']);
  });

  it('answers 400 naming the field', async () => {
    await start(false);
    for (const [query, path] of [
      ['name=', 'query.name'],
      ['name=%20%20', 'query.name'],
      [`name=${'x'.repeat(201)}`, 'query.name'],
      ['name=ada&q=ada', 'query.name'],
      ['name=ada&limit=0', 'query.limit'],
    ] as const) {
      const res = await send(t, 'GET', `/v1/profiles?${query}`, t.keys.read);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.details[0].path, query).toBe(path);
    }
    const write = await send(t, 'GET', '/v1/profiles?name=ada', t.keys.write);
    expect(write.statusCode).toBe(403);
  });
});
