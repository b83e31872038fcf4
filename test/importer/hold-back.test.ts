import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport, type ImportSummary } from '../../src/importer/run-import.js';
import { eventTimeOf } from '../../src/importer/shift.js';
import { ManualClock } from '../../src/shared/clock.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

const FILE = new URL(
  '../fixtures/online-retail/demo/online-retail-demo-slice.csv.gz',
  import.meta.url,
).pathname;
const quiet = { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 7, 9, 30);
const TODAY = Date.UTC(2026, 11, 7);

describe.each(STORE_KINDS)('import with held-back days (%s)', (kind) => {
  let t: TestApp;
  let summary: ImportSummary;
  const held: Record<string, unknown>[] = [];
  const importIt = (into: Record<string, unknown>[]) =>
    runImport(
      {
        store: t.ctx.store,
        writer: t.ctx.writer,
        processor: t.ctx.profiles,
        models: t.ctx.models,
        clock: t.clock,
      },
      {
        kind: 'events',
        files: [FILE],
        workspaceId: 'default',
        preset: 'online-retail',
        mapping: new Map(),
        rejectsPath: '/dev/null',
        progress: quiet,
        shiftToNow: true,
        holdBack: { days: 21, onEvent: (e) => into.push(e) },
        amend: (e) =>
          e.type === 'identify' ? { ...e, traits: { ...(e.traits as object), vip: true } } : e,
      },
    );
  beforeAll(async () => {
    t = await createTestApp(kind, { clock: new ManualClock(NOW) });
    summary = await importIt(held);
  });
  afterAll(async () => {
    await t.close();
  });

  it('moves the first held-back day to today and imports only what came before it', async () => {
    // The slice ends on 2011-12-09; its last 21 days start on 2011-11-19.
    expect(summary.shiftedDays).toBe((TODAY - Date.UTC(2011, 10, 19)) / DAY);
    const rows = await t.ctx.store.db
      .selectFrom('events')
      .select(['timestamp', 'message_id'])
      .execute();
    expect(rows.length).toBe(summary.events);
    expect(Math.max(...rows.map((r) => r.timestamp))).toBeLessThan(TODAY);
    expect(Math.max(...rows.map((r) => r.timestamp))).toBeGreaterThan(TODAY - 3 * DAY);

    // The rest went to the caller, shifted, in order, with their messageIds; none stored.
    expect(summary.heldBack).toBe(held.length);
    expect(held.length).toBeGreaterThan(40);
    const times = held.map((e) => eventTimeOf(e)!);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(TODAY);
    expect(Math.max(...times)).toBeLessThan(TODAY + 21 * DAY);
    const stored = new Set(rows.map((r) => r.message_id));
    for (const e of held) expect(stored.has(String(e.messageId))).toBe(false);
    // The 8 customers first seen in those days arrive with them, amended too.
    const identifies = held.filter((e) => e.type === 'identify');
    expect(identifies).toHaveLength(8);
    expect(identifies.every((e) => (e.traits as { vip?: boolean }).vip === true)).toBe(true);
  });

  it('amends what it imports', async () => {
    const profile = await t.ctx.store.db
      .selectFrom('events')
      .select('raw')
      .where('type', '=', 'identify')
      .executeTakeFirstOrThrow();
    expect(profile.raw).toContain('"vip":true');
  });

  it('holds back the same events and stores nothing twice when run again', async () => {
    const again: Record<string, unknown>[] = [];
    const second = await importIt(again);
    expect(second.events).toBe(0);
    expect(second.duplicates).toBe(summary.events);
    expect(again.map((e) => e.messageId)).toEqual(held.map((e) => e.messageId));
  });
});
