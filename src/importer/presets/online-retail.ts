import type { CatalogItemInput } from '../../catalog/index.js';
import { parseLocalDateTime } from '../local-date-time.js';
import { MAX_EVENT_BYTES } from '../../ingest/index.js';
import { pushTo } from '../../shared/index.js';

/**
 * The UCI Online Retail files (Chen 2015; see the shared data's SOURCE.md): one row per
 * invoice line. Consecutive lines of a basket become one `Order Completed` (or
 * `Order Refunded` for cancellations and negative quantities) with its products; each
 * customer becomes a profile (identify with their country) at their first invoice; each
 * product becomes a catalog item. Baskets are keyed by InvoiceNo when the file has it,
 * else by (CustomerID, InvoiceDate); items by StockCode, else by Description. Times are
 * UK local time. Lines without a CustomerID cannot be attributed to a person and are
 * skipped (counted, not rejected).
 */
export type PresetOutput =
  | { kind: 'event'; line: number; event: Record<string, unknown> }
  | { kind: 'item'; item: CatalogItemInput }
  | { kind: 'bad'; line: number; reason: string }
  | { kind: 'skip'; reason: string };

interface Line {
  line: number;
  itemId: string;
  title: string;
  quantity: number;
  price: number;
  at: number;
  customer: string;
  country: string;
  invoice: string | null;
}

const ZONE = 'Europe/London';
const round2 = (n: number) => Math.round(n * 100) / 100;

/** Baskets stay open this long after their time, for lines that arrive out of order. */
const OPEN_MS = 6 * 3_600_000;

export class OnlineRetailPreset {
  /** Open baskets by key, in insertion (time) order. */
  private readonly open = new Map<string, Line[]>();
  private readonly customers = new Set<string>();
  private readonly items = new Map<string, CatalogItemInput>();
  /** Invoice times repeat for every line of an invoice; converting each once matters. */
  private readonly times = new Map<string, number>();

  private timeOf(text: string): number {
    let t = this.times.get(text);
    if (t === undefined) this.times.set(text, (t = parseLocalDateTime(text, ZONE)));
    return t;
  }

  push(record: Record<string, unknown>, line: number): PresetOutput[] {
    const get = (k: string) => (typeof record[k] === 'string' ? record[k].trim() : '');
    const description = get('Description');
    const stockCode = get('StockCode');
    const invoice = get('InvoiceNo') || null;
    const quantity = Number(get('Quantity'));
    const price = Number(get('UnitPrice'));
    const at = this.timeOf(get('InvoiceDate'));
    const customer = get('CustomerID').replace(/\.0+$/, '');
    const itemId = stockCode || description;

    const problems: string[] = [];
    if (!itemId) problems.push('missing StockCode and Description');
    if (!Number.isFinite(quantity) || !Number.isInteger(quantity) || quantity === 0) {
      problems.push(`Quantity "${get('Quantity')}" is not a non-zero integer`);
    }
    if (!Number.isFinite(price) || price < 0)
      problems.push(`UnitPrice "${get('UnitPrice')}" is not a price`);
    if (Number.isNaN(at))
      problems.push(`InvoiceDate "${get('InvoiceDate')}" is not YYYY-MM-DD HH:MM`);
    // A line without a customer is never imported, so its other flaws (the file's
    // blank-description stock adjustments) are no reason to call it an error.
    if (problems.length) {
      if (!customer) return [{ kind: 'skip', reason: 'no CustomerID' }];
      return [{ kind: 'bad', line, reason: problems.join('; ') }];
    }

    const out: PresetOutput[] = [];
    if (!this.items.has(itemId) || quantity > 0) {
      const item: CatalogItemInput = { id: itemId, currency: 'GBP' };
      if (description) item.title = description;
      if (quantity > 0 && price > 0) item.price = price;
      this.items.set(itemId, { ...this.items.get(itemId), ...item });
    }
    if (!customer) {
      out.push({ kind: 'skip', reason: 'no CustomerID' });
      return out;
    }
    const refund = quantity < 0 || (invoice?.startsWith('C') ?? false);
    // A few baskets' lines are not contiguous in the file, and one basket may straddle
    // two files: keep baskets open by key until the file's clock has moved well past.
    const key = `${invoice ?? `${customer}|${get('InvoiceDate')}`}|${refund ? 'r' : 'o'}`;
    for (const [k, lines] of this.open) {
      if (k === key || lines[0]!.at > at - OPEN_MS) break;
      this.open.delete(k);
      out.push(...this.closeBasket(lines));
    }
    pushTo(this.open, key, {
      line,
      itemId,
      title: description,
      quantity,
      price,
      at,
      customer,
      country: get('Country'),
      invoice,
    });
    return out;
  }

  /** Call once at the end of all the files. */
  flush(): PresetOutput[] {
    const out: PresetOutput[] = [];
    for (const lines of this.open.values()) out.push(...this.closeBasket(lines));
    this.open.clear();
    for (const item of this.items.values()) out.push({ kind: 'item', item });
    return out;
  }

  private closeBasket(lines: Line[]): PresetOutput[] {
    const first = lines[0];
    if (!first) return [];
    const out: PresetOutput[] = [];
    if (!this.customers.has(first.customer)) {
      this.customers.add(first.customer);
      out.push({
        kind: 'event',
        line: first.line,
        event: {
          type: 'identify',
          messageId: `online-retail:customer:${first.customer}`,
          userId: first.customer,
          timestamp: new Date(first.at).toISOString(),
          traits: { country: first.country, customer_id: first.customer },
        },
      });
    }
    const refund = first.quantity < 0 || (first.invoice?.startsWith('C') ?? false);
    const orderId =
      first.invoice ??
      `${refund ? 'R' : ''}${first.customer}-${new Date(first.at).toISOString().slice(0, 16)}`;
    const products = lines.map((l) => ({
      product_id: l.itemId,
      name: l.title,
      price: l.price,
      quantity: Math.abs(l.quantity),
    }));
    const cents = lines.map((l) => Math.abs(l.quantity) * l.price * 100);
    const amount = round2(lines.reduce((s, l) => s + Math.abs(l.quantity) * l.price, 0));
    const base = {
      type: 'track',
      event: refund ? 'Order Refunded' : 'Order Completed',
      messageId: `online-retail:${refund ? 'refund' : 'order'}:${orderId}`,
      userId: first.customer,
      timestamp: new Date(first.at).toISOString(),
      context: { location: { country: first.country } },
    };
    const parts = chunkProducts(products, base);
    // Every part of an order repeats its order id and whole revenue: the profile keeps one
    // report per order id, so the order counts once at its full value whichever part it
    // keeps. Refunds are one per event, so each part refunds its own products, in cents
    // that add up exactly to the whole.
    let refunded = 0;
    let cumulative = 0;
    let offset = 0;
    parts.forEach((part, i) => {
      for (let k = 0; k < part.length; k++) cumulative += cents[offset + k]!;
      offset += part.length;
      const upTo = Math.round(cumulative);
      const partTotal = (upTo - refunded) / 100;
      refunded = upTo;
      const split = parts.length > 1 ? { part: i + 1, parts: parts.length } : {};
      out.push({
        kind: 'event',
        line: first.line,
        event: {
          ...base,
          messageId: i === 0 ? base.messageId : `${base.messageId}:part:${i + 1}`,
          properties: refund
            ? {
                order_id: orderId,
                total: parts.length > 1 ? partTotal : amount,
                currency: 'GBP',
                products: part,
                ...split,
              }
            : { order_id: orderId, revenue: amount, currency: 'GBP', products: part, ...split },
        },
      });
    });
    return out;
  }
}

/** Room left in an event for its other properties (order id, amount, part numbers). */
const PROPERTY_ROOM = 256;

/**
 * Splits an order's products so each part's event stays under the ingest limit
 * (MAX_EVENT_BYTES), whatever the size of the order: the largest real invoices hold
 * over 500 lines, about 50 KB as one event.
 */
export function chunkProducts<P>(products: P[], base: Record<string, unknown>): P[][] {
  const budget = MAX_EVENT_BYTES - PROPERTY_ROOM - Buffer.byteLength(JSON.stringify(base));
  const parts: P[][] = [];
  let part: P[] = [];
  let size = 0;
  for (const product of products) {
    const bytes = Buffer.byteLength(JSON.stringify(product)) + 1;
    if (part.length > 0 && size + bytes > budget) {
      parts.push(part);
      part = [];
      size = 0;
    }
    part.push(product);
    size += bytes;
  }
  parts.push(part);
  return parts;
}
