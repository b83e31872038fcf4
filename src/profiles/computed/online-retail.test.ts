import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { groupBy } from '../../shared/index.js';
import { foldEvents } from './apply-event.js';
import { deriveTraits } from './derive-traits.js';
import type { ProfileEvent } from './profile-event.js';
import { seededRng } from '../../../test/factories/purchase-simulation.js';
import { defaultWorkspaceModel, fitWorkspaceModel } from './workspace-model.js';

// All invoice lines of 21 customers of the UCI Online Retail data (see
// test/fixtures/online-retail/SOURCE.md): multi-invoice, same-day, cancellation-only,
// single-invoice and zero-price customers.
interface Line {
  InvoiceNo: string;
  StockCode: string;
  Description: string;
  Quantity: string;
  InvoiceDate: string;
  UnitPrice: string;
  CustomerID: string;
}
const lines = parse<Line>(
  readFileSync(
    new URL('../../../test/fixtures/profiles/online-retail-customers.csv', import.meta.url),
  ),
  { columns: true },
);

const DAY = 86_400_000;
const NOW = Date.UTC(2011, 5, 25); // the day after the slice ends
// The source has no time zone (UK local time); read it as UTC, consistently on both sides.
const timeOf = (date: string) => Date.parse(`${date.replace(' ', 'T')}:00Z`);

/**
 * The shell's job, done here plainly: one event per invoice. An invoice is an `Order
 * Completed` with its lines as products (no revenue field, so the core must sum
 * price × quantity); a cancellation ("C" invoice) is an `Order Refunded` with its total.
 */
function eventsOf(customerLines: readonly Line[]): ProfileEvent[] {
  return [...groupBy(customerLines, (l) => l.InvoiceNo)].map(([invoice, rows]) => {
    const base = {
      type: 'track' as const,
      traits: {},
      context: {},
      timestamp: timeOf(rows[0]!.InvoiceDate),
    };
    if (invoice.startsWith('C')) {
      const total = rows.reduce((s, r) => s - Number(r.Quantity) * Number(r.UnitPrice), 0);
      return {
        ...base,
        messageId: `inv-${invoice}`,
        event: 'Order Refunded',
        properties: { order_id: invoice, total },
      };
    }
    const products = rows.map((r) => ({
      product_id: r.StockCode,
      name: r.Description,
      price: Number(r.UnitPrice),
      quantity: Number(r.Quantity),
    }));
    return {
      ...base,
      messageId: `inv-${invoice}`,
      event: 'Order Completed',
      properties: { order_id: invoice, products },
    };
  });
}

/** Order count, revenue, AOV, refunds and rhythm straight from the CSV rows. */
function expectedFor(customerLines: readonly Line[]) {
  const sales = customerLines.filter((l) => !l.InvoiceNo.startsWith('C'));
  const invoices = groupBy(sales, (l) => l.InvoiceNo);
  const revenue = sales.reduce((s, l) => s + Number(l.Quantity) * Number(l.UnitPrice), 0);
  const refunded = customerLines
    .filter((l) => l.InvoiceNo.startsWith('C'))
    .reduce((s, l) => s - Number(l.Quantity) * Number(l.UnitPrice), 0);
  const times = [...invoices.values()].map((rows) => timeOf(rows[0]!.InvoiceDate));
  const firstOfDay = [...groupBy(times, (t) => new Date(t).toISOString().slice(0, 10)).values()]
    .map((ts) => Math.min(...ts))
    .sort((a, b) => a - b);
  const gaps = firstOfDay
    .slice(1)
    .map((t, i) => (t - firstOfDay[i]!) / DAY)
    .sort((a, b) => a - b);
  const mid = gaps.length >> 1;
  return {
    orders: invoices.size,
    revenue,
    refunded,
    aov: invoices.size > 0 ? revenue / invoices.size : null,
    last: times.length > 0 ? Math.max(...times) : null,
    median:
      gaps.length === 0 ? null : gaps.length % 2 ? gaps[mid]! : (gaps[mid - 1]! + gaps[mid]!) / 2,
  };
}

const customers = groupBy(lines, (l) => l.CustomerID);

describe('computed traits on real Online Retail invoices', () => {
  it('holds the expected slice', () => {
    expect(customers.size).toBe(21);
    expect(lines.length).toBe(1118);
  });

  it('gives each customer the order count, revenue, AOV and rhythm computed from the rows', () => {
    const model = defaultWorkspaceModel(NOW);
    const rng = seededRng(352);
    for (const [id, rows] of customers) {
      const events = eventsOf(rows);
      // Arrival in a random order, with every order also re-sent under a new messageId (an
      // order completes once, so the core de-duplicates by order id; refunds can be partial
      // and repeated, so only the log's messageId uniqueness protects them).
      const retries = events
        .filter((e) => e.event === 'Order Completed')
        .map((e) => ({ ...e, messageId: `${e.messageId}-retry` }));
      const arrival = [...events, ...retries]
        .map((e) => ({ e, k: rng.next() }))
        .sort((a, b) => a.k - b.k)
        .map(({ e }) => e);
      const facts = foldEvents(arrival);
      expect(JSON.stringify(foldEvents([...events, ...retries]))).toBe(JSON.stringify(facts));

      const t = deriveTraits(facts, NOW, model);
      const want = expectedFor(rows);
      expect(t.order_count, `customer ${id}`).toBe(want.orders);
      expect(t.revenue, `customer ${id}`).toBeCloseTo(want.revenue, 6);
      expect(t.refunded, `customer ${id}`).toBeCloseTo(want.refunded, 6);
      if (want.aov === null) expect(t.aov).toBeNull();
      else expect(t.aov!, `customer ${id}`).toBeCloseTo(want.aov, 6);
      expect(t.last_order_at).toBe(want.last);
      if (want.median === null) expect(t.typical_days_between_orders).toBeNull();
      else expect(t.typical_days_between_orders!, `customer ${id}`).toBeCloseTo(want.median, 9);
      expect(t.lifecycle === 'prospect', `customer ${id}`).toBe(want.orders === 0);
    }
  });

  it('scores RFM consistently across the slice', () => {
    const all = [...customers.values()].map((rows) => foldEvents(eventsOf(rows)));
    const model = fitWorkspaceModel(all, NOW);
    expect(model.customers).toBe(20); // one customer only ever cancelled
    const traits = all.map((f) => deriveTraits(f, NOW, model));
    const buyers = traits.filter((t) => t.order_count > 0);
    // Monetary scores rank revenue: a higher score never has a lower revenue.
    for (const a of buyers) {
      for (const b of buyers) {
        if (a.rfm!.monetary > b.rfm!.monetary) expect(a.revenue).toBeGreaterThan(b.revenue);
        if (a.rfm!.frequency > b.rfm!.frequency)
          expect(a.order_count).toBeGreaterThan(b.order_count);
      }
    }
    expect(traits.filter((t) => t.order_count === 0).every((t) => t.rfm === null)).toBe(true);
  });
});
