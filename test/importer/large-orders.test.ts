import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_EVENT_BYTES } from '../../src/ingest/index.js';
import { runImport, type ImportSummary } from '../../src/importer/run-import.js';
import { OnlineRetailPreset } from '../../src/importer/presets/online-retail.js';
import { ManualClock } from '../../src/shared/clock.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

const FILE = new URL(
  '../fixtures/online-retail/customer-14096-large-orders.csv.gz',
  import.meta.url,
).pathname;
const quiet = { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;

/** Customer 14096's revenue and refunds straight from the raw lines, basket by basket. */
function rawTotals() {
  const rows = parse<Record<string, string>>(gunzipSync(readFileSync(FILE)), { columns: true });
  const baskets = new Map<string, number>();
  const refunds = new Map<string, number>();
  let noCustomer = 0;
  let biggest = 0;
  for (const r of rows) {
    if (!r.CustomerID) {
      noCustomer++;
      continue;
    }
    if (r.CustomerID !== '14096') continue;
    const q = Number(r.Quantity);
    const into = q > 0 ? baskets : refunds;
    into.set(r.InvoiceDate!, (into.get(r.InvoiceDate!) ?? 0) + Math.abs(q) * Number(r.UnitPrice));
  }
  const lineCounts = new Map<string, number>();
  for (const r of rows) {
    if (r.CustomerID === '14096' && Number(r.Quantity) > 0) {
      lineCounts.set(r.InvoiceDate!, (lineCounts.get(r.InvoiceDate!) ?? 0) + 1);
    }
  }
  for (const n of lineCounts.values()) biggest = Math.max(biggest, n);
  const sum = (m: Map<string, number>) =>
    [...m.values()].reduce((s, v) => s + Math.round(v * 100) / 100, 0);
  return {
    orders: baskets.size,
    revenue: sum(baskets),
    refunded: sum(refunds),
    noCustomer,
    biggest,
  };
}

describe.each(STORE_KINDS)('Online Retail orders larger than one event (%s)', (kind) => {
  let t: TestApp;
  let summary: ImportSummary;
  const raw = rawTotals();
  const importIt = () =>
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
      },
    );
  beforeAll(async () => {
    t = await createTestApp(kind, { clock: new ManualClock(Date.UTC(2011, 11, 10)) });
    summary = await importIt();
  });
  afterAll(async () => {
    await t.close();
  });

  it('keeps every order of customer 14096, whose largest basket has hundreds of lines', async () => {
    // The fixture is the point of the test: one basket alone is far over the event limit.
    expect(raw.biggest).toBeGreaterThan(500);
    expect(summary.rejected).toBe(0);
    expect(summary.skipped).toEqual({ 'no CustomerID': raw.noCustomer });
    const res = await send(t, 'GET', '/v1/profiles/user_id/14096', t.keys.read);
    expect(res.statusCode).toBe(200);
    const computed = res.json().computed;
    expect(computed.order_count).toBe(raw.orders);
    expect(computed.revenue).toBeCloseTo(raw.revenue, 2);
    expect(computed.refunded).toBeCloseTo(raw.refunded, 2);
  });

  it('splits a large order into parts under the event limit, each naming the order', async () => {
    const rows = await t.ctx.store.db
      .selectFrom('events')
      .select(['raw', 'message_id'])
      .where('event', '=', 'Order Completed')
      .execute();
    const parts = rows
      .map((r) => JSON.parse(r.raw) as { properties: Record<string, unknown> })
      .filter((e) => e.properties.parts !== undefined);
    expect(parts.length).toBeGreaterThan(2);
    for (const r of rows) expect(Buffer.byteLength(r.raw)).toBeLessThanOrEqual(MAX_EVENT_BYTES);
    const ofOrder = new Map<string, number>();
    for (const p of parts) {
      const id = String(p.properties.order_id);
      ofOrder.set(id, (ofOrder.get(id) ?? 0) + (p.properties.products as unknown[]).length);
    }
    // Every product line of the biggest basket arrived, across its parts.
    expect(Math.max(...ofOrder.values())).toBe(raw.biggest);
  });

  it('adds nothing when the same file is imported again', async () => {
    const again = await importIt();
    expect(again.events).toBe(0);
    expect(again.duplicates).toBe(summary.events);
  });
});

describe.each(STORE_KINDS)('--shift-to-now (%s)', (kind) => {
  const NOW = Date.UTC(2026, 2, 10, 8, 30);
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind, { clock: new ManualClock(NOW) });
  });
  afterAll(async () => {
    await t.close();
  });

  it("moves every event by whole days so the data's last day is the clock's today", async () => {
    const summary = await runImport(
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
      },
    );
    // The fixture's last line is a refund of 2011-12-05 17:17 (GMT).
    const lastRaw = Date.UTC(2011, 11, 5, 17, 17);
    const shift = Date.UTC(2026, 2, 10) - Date.UTC(2011, 11, 5);
    expect(summary.shiftedDays).toBe(shift / 86_400_000);
    const times = await t.ctx.store.db.selectFrom('events').select('timestamp').execute();
    expect(Math.max(...times.map((r) => r.timestamp))).toBe(lastRaw + shift);
    expect(Math.min(...times.map((r) => r.timestamp))).toBeGreaterThan(NOW - 120 * 86_400_000);
    const res = await send(t, 'GET', '/v1/profiles/user_id/14096', t.keys.read);
    const computed = res.json().computed;
    // The last order (2011-11-14 15:27 GMT) keeps its time of day and its distance to the end.
    expect(computed.last_order_at).toBe(Date.UTC(2011, 10, 14, 15, 27) + shift);
    expect(computed.days_since_last_order).toBe(
      Math.floor((NOW - (Date.UTC(2011, 10, 14, 15, 27) + shift)) / 86_400_000),
    );
    expect(computed.revenue).toBeCloseTo(rawTotals().revenue, 2);
  });
});

describe('Online Retail lines without a customer', () => {
  it('are skipped, not rejected, even when their other fields are junk', () => {
    const row = (customer: string) => ({
      row_index: '622',
      Description: '',
      Quantity: '56',
      InvoiceDate: '2010-12-01 11:52',
      UnitPrice: '-11062.06',
      CustomerID: customer,
      Country: 'United Kingdom',
    });
    expect(new OnlineRetailPreset().push(row(''), 624)).toEqual([
      { kind: 'skip', reason: 'no CustomerID' },
    ]);
    expect(new OnlineRetailPreset().push(row('17850'), 624)).toEqual([
      {
        kind: 'bad',
        line: 624,
        reason: 'missing StockCode and Description; UnitPrice "-11062.06" is not a price',
      },
    ]);
  });
});
