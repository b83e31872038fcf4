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
    const first = await find('name=ada&limit=1');
    expect(first.profiles).toHaveLength(1);
    expect(first.nextCursor).not.toBeNull();
    const second = await find(`name=ada&limit=1&cursor=${first.nextCursor}`);
    expect(second.profiles).toHaveLength(1);
    expect(second.profiles[0]!.id).not.toBe(first.profiles[0]!.id);
    const third = await find(`name=ada&limit=1&cursor=${second.nextCursor}`);
    expect(third.profiles).toHaveLength(0);
    expect(third.nextCursor).toBeNull();
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
