import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLEANUP_BATCH } from '../../src/ingest/rejected-keeper.js';
import { DEFAULTS, type RejectedLimits } from '../../src/config/index.js';
import { ManualClock } from '../../src/shared/clock.js';
import { bearer, createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

const DAY = 86_400_000;
const LIMITS: RejectedLimits = {
  ...DEFAULTS,
  rejectedMaxPerWorkspace: 5,
  rejectedMaxRawBytes: 256,
  rejectedRetentionDays: 7,
};

describe.each(STORE_KINDS)('refused events are bounded (%s)', (kind) => {
  let t: TestApp;
  let clock: ManualClock;
  const open = async (limits: RejectedLimits) => {
    t = await createTestApp(kind, { clock, rejected: limits });
  };
  beforeEach(() => {
    clock = new ManualClock(Date.UTC(2026, 5, 1, 12));
  });
  afterEach(async () => {
    await t.close();
  });

  /** A batch of `bad` elements without identity (refused) and one valid event. */
  const batch = (bad: number, tag: string, extra: Record<string, unknown> = {}) =>
    send(t, 'POST', '/v1/batch', t.keys.write, {
      batch: [
        { type: 'track', userId: 'ok', event: 'Fine', messageId: `ok-${tag}` },
        ...Array.from({ length: bad }, (_, i) => ({
          type: 'track',
          event: 'No identity',
          messageId: `bad-${tag}-${i}`,
          ...extra,
        })),
      ],
    });
  const stored = async () =>
    (
      await t.app.inject({
        method: 'GET',
        url: '/v1/admin/rejected?limit=1000',
        headers: { authorization: bearer(t.keys.admin) },
      })
    ).json().rejected as { raw: string; receivedAt: string }[];
  const count = async () =>
    Number(
      (
        await t.ctx.store.db
          .selectFrom('rejected_events')
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const metric = async (name: string) => {
    const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    return line === undefined ? null : Number(line.split(' ')[1]);
  };
  const insertOld = async (n: number, receivedAt: number) => {
    const rows = Array.from({ length: n }, (_, i) => ({
      workspace_id: 'default',
      received_at: receivedAt,
      batch_index: i,
      details: '[]',
      raw: '{}',
    }));
    for (let i = 0; i < rows.length; i += 500) {
      await t.ctx.store.db
        .insertInto('rejected_events')
        .values(rows.slice(i, i + 500))
        .execute();
    }
  };

  it('keeps at most the cap per workspace, tells the client everything, and counts the dropped', async () => {
    await open(LIMITS);
    for (const tag of ['a', 'b', 'c']) {
      const res = await batch(4, tag);
      expect(res.statusCode).toBe(200);
      // The client hears about every refusal, stored or not.
      expect(res.json().rejected.map((r: { index: number }) => r.index)).toEqual([1, 2, 3, 4]);
      expect(res.json().accepted).toBe(1);
    }
    const rows = await stored();
    expect(rows).toHaveLength(5);
    // The first five are kept: bad-a-0..3 and bad-b-0, newest first.
    expect(rows.map((r) => (JSON.parse(r.raw) as { messageId: string }).messageId)).toEqual([
      'bad-b-0',
      'bad-a-3',
      'bad-a-2',
      'bad-a-1',
      'bad-a-0',
    ]);
    expect(await metric('rapport_rejected_events_dropped_total')).toBe(7);
    expect(await metric('rapport_events_rejected_total')).toBe(12);
    const accepted = await send(t, 'GET', '/v1/events?limit=10', t.keys.read);
    expect(accepted.json().events).toHaveLength(3);
  });

  it('cuts a long refused element to the size limit with a marker, and keeps short ones whole', async () => {
    await open(LIMITS);
    await batch(1, 'long', { properties: { note: 'x'.repeat(2000) } });
    await batch(1, 'short');
    const [short, long] = await stored();
    expect(short!.raw).toBe('{"type":"track","event":"No identity","messageId":"bad-short-0"}');
    const marker = long!.raw.slice(long!.raw.lastIndexOf('…[truncated: '));
    expect(marker).toMatch(/^…\[truncated: 256 of 20\d\d bytes kept\]$/);
    expect(
      long!.raw.startsWith('{"type":"track","event":"No identity","messageId":"bad-long-0"'),
    ).toBe(true);
    expect(Buffer.byteLength(long!.raw.slice(0, -marker.length))).toBe(256);
    expect(await metric('rapport_rejected_events_truncated_total')).toBe(1);
  });

  it('deletes refusals past retention in bounded batches, keeps recent ones, and frees room', async () => {
    // A cap above what this test stores, so only retention deletes.
    await open({ ...LIMITS, rejectedMaxPerWorkspace: CLEANUP_BATCH + 300 });
    const start = clock.now();
    await insertOld(CLEANUP_BATCH + 200, start - 8 * DAY);
    await batch(2, 'recent');
    expect(await count()).toBe(CLEANUP_BATCH + 202);

    expect(await t.ctx.rejects.cleanupStep()).toBe(true);
    expect(await count()).toBe(202);
    expect(await t.ctx.rejects.cleanupStep()).toBe(false);
    const left = await stored();
    expect(left.map((r) => r.receivedAt)).toEqual([
      new Date(start).toISOString(),
      new Date(start).toISOString(),
    ]);
    expect(await metric('rapport_rejected_events_deleted_total{reason="retention"}')).toBe(
      CLEANUP_BATCH + 200,
    );

    // A week on, the recent ones are past retention too.
    clock.advance(7 * DAY + 1);
    expect(await t.ctx.rejects.cleanupStep()).toBe(false);
    expect(await count()).toBe(0);
  });

  it('stores again once the cleanup has made room under the cap', async () => {
    await open(LIMITS);
    await batch(6, 'first');
    expect(await count()).toBe(5);
    clock.advance(7 * DAY + 1);
    await t.ctx.rejects.cleanupStep();
    expect(await count()).toBe(0);
    await batch(3, 'later');
    expect(await count()).toBe(3);
    expect(await metric('rapport_rejected_events_dropped_total')).toBe(1);
  });

  it('checks the cap from memory, reading the store again only after a minute', async () => {
    await open(LIMITS);
    await batch(5, 'fill');
    // Another process (or an operator) empties the table: this one does not ask the
    // store on every request, so it still thinks the workspace is full...
    await t.ctx.store.db.deleteFrom('rejected_events').execute();
    await batch(1, 'cached');
    expect(await count()).toBe(0);
    // ...until its count is a minute old.
    clock.advance(60_000);
    await batch(2, 'recounted');
    expect(await count()).toBe(2);
  });

  it('trims a workspace back to its cap when other processes stored past it', async () => {
    await open(LIMITS);
    await insertOld(8, clock.now());
    expect(await t.ctx.rejects.cleanupStep()).toBe(false);
    const rows = await stored();
    expect(rows).toHaveLength(5);
    expect(await metric('rapport_rejected_events_deleted_total{reason="cap"}')).toBe(3);
    // The cap counts from the store on first use: a full workspace stores no more.
    await batch(1, 'full');
    expect(await stored()).toHaveLength(5);
    expect(await metric('rapport_rejected_events_dropped_total')).toBe(1);
  });

  it('lists a refusal whose stored reasons are unreadable, saying so', async () => {
    await open(LIMITS);
    await t.ctx.store.db
      .insertInto('rejected_events')
      .values([
        {
          workspace_id: 'default',
          received_at: clock.now(),
          batch_index: 0,
          details: '[{"path": 1}]',
          raw: '{"a":1}',
        },
        {
          workspace_id: 'default',
          received_at: clock.now(),
          batch_index: 1,
          details: '[{"path": "", "problem": "ok"}]',
          raw: '{"b":2}',
        },
      ])
      .execute();
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/admin/rejected',
      headers: { authorization: bearer(t.keys.admin) },
    });
    expect(res.statusCode).toBe(200);
    const listed = res.json().rejected as { raw: string; details: unknown[] }[];
    expect(listed.map((r) => [r.raw, r.details])).toEqual([
      ['{"b":2}', [{ path: '', problem: 'ok' }]],
      [
        '{"a":1}',
        [{ path: '', problem: expect.stringMatching(/^stored reasons unreadable: 0\.path: /) }],
      ],
    ]);
  });
});
