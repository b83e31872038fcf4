import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '../../src/audit/index.js';
import { ManualClock } from '../../src/shared/clock.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';
import { entries, keyIdOf, type Entry } from './helpers.js';

const START = Date.UTC(2026, 10, 1, 12);
const MINUTE = 60_000;
const SEGMENT = {
  name: 'Viewers',
  definition: { event: 'Product Viewed', count: { gte: 1 }, within: 'P7D' },
};

describe.each(STORE_KINDS)('reading the audit log (%s)', (kind) => {
  let t: TestApp;
  let clock: ManualClock;
  let segmentId: string;
  beforeAll(async () => {
    clock = new ManualClock(START);
    t = await createTestApp(kind, { clock });
    // Five entries a minute apart: 3 segment changes, 2 keys created with the env key.
    const c = await send(t, 'POST', '/v1/segments', t.keys.admin, SEGMENT);
    segmentId = c.json<{ id: string }>().id;
    for (const name of ['A', 'B']) {
      clock.advance(MINUTE);
      await send(t, 'PUT', `/v1/segments/${segmentId}`, t.keys.admin, { ...SEGMENT, name });
    }
    for (const scope of ['read', 'write']) {
      clock.advance(MINUTE);
      await send(t, 'POST', '/v1/admin/keys', 'test-admin-key-0123456789', { scope });
    }
  });
  afterAll(() => t.close());

  const get = (query: string, key = t.keys.admin) => send(t, 'GET', `/v1/admin/audit${query}`, key);

  it('lists newest first and pages with a cursor', async () => {
    const all = await entries(t);
    expect(all.map((e) => e.action)).toEqual([
      'key.create',
      'key.create',
      'segment.update',
      'segment.update',
      'segment.create',
    ]);
    const seen: Entry[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const res = await get(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json<{ entries: Entry[]; nextCursor: string | null }>();
      expect(page.entries.length).toBeLessThanOrEqual(2);
      seen.push(...page.entries);
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(all);
  });

  it('filters by action, target, key and time', async () => {
    const actions = async (q: string) => (await entries(t, q)).map((e) => e.action);
    expect(await actions('&action=segment.update')).toEqual(['segment.update', 'segment.update']);
    expect(await actions('&target=segment')).toHaveLength(3);
    expect(await actions(`&target=segment:${segmentId}`)).toHaveLength(3);
    expect(await actions('&target=segment:other')).toEqual([]);
    expect(await actions('&keyId=env:RAPPORT_ADMIN_KEY')).toEqual(['key.create', 'key.create']);
    const adminId = await keyIdOf(t, t.keys.admin);
    expect(await actions(`&keyId=${adminId}`)).toHaveLength(3);
    const at = (ms: number) => encodeURIComponent(new Date(ms).toISOString());
    // `since` includes its instant, `until` does not.
    expect(await actions(`&since=${at(START + MINUTE)}&until=${at(START + 3 * MINUTE)}`)).toEqual([
      'segment.update',
      'segment.update',
    ]);
  });

  it('is admin only, and refuses bad query parameters naming them', async () => {
    expect((await get('', t.keys.read)).statusCode).toBe(403);
    expect((await get('', t.keys.write)).statusCode).toBe(403);
    for (const [query, field] of [
      ['?limit=501', 'limit'],
      ['?limit=0', 'limit'],
      ['?cursor=abc', 'cursor'],
      ['?since=yesterday', 'since'],
      ['?until=2026-13-01', 'until'],
      ['?action=DROP%20TABLE', 'action'],
      ['?target=Segment%20X', 'target'],
      ['?colour=red', ''],
    ] as const) {
      const res = await get(query);
      expect(res.statusCode, query).toBe(400);
      expect(JSON.stringify(res.json().error.details), query).toContain(field || 'colour');
    }
  });

  it('offers no way to change or delete entries', async () => {
    const [first] = await entries(t);
    for (const method of ['PUT', 'DELETE', 'POST'] as const) {
      for (const url of ['/v1/admin/audit', `/v1/admin/audit/${first!.id}`]) {
        const res = await send(t, method, url, t.keys.admin, method === 'DELETE' ? undefined : {});
        expect([404, 405], `${method} ${url}`).toContain(res.statusCode);
      }
    }
    expect((await entries(t))[0]).toEqual(first);
  });

  it('caps a huge value at 64 KiB with a marker, and redacts secret-named fields', async () => {
    await recordAudit(t.testStore.store.db, {
      workspaceId: 'other',
      at: START,
      keyId: 'k',
      action: 'journey.update',
      target: { kind: 'journey', id: 'big' },
      before: { blob: 'x'.repeat(200_000) },
      after: { nested: { secret: 's3cr3t', password: 'p4ss', keep: 1 } },
    });
    const rows = await t.testStore.store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('workspace_id', '=', 'other')
      .execute();
    const row = rows[0]!;
    expect(row.before!.length).toBeLessThanOrEqual(64 * 1024);
    expect(JSON.parse(row.before!)).toMatchObject({ truncated: true, chars: 200_011 });
    expect(row.after).not.toContain('s3cr3t');
    expect(row.after).not.toContain('p4ss');
    expect(JSON.parse(row.after!)).toEqual({
      nested: { secret: '[redacted]', password: '[redacted]', keep: 1 },
    });
    // Another workspace's entries are not listed here.
    expect((await entries(t)).some((e) => e.target.id === 'big')).toBe(false);
  });
});
