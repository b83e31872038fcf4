// npm run bench -- profiles-core [DATA_DIR] [--runs 3]
//
// The pure profile core on the UCI Online Retail year (default ../shared/data/online_retail,
// the two full-year part files): every invoice line becomes a `Product Added` event and every
// basket (customer × minute, the files have no invoice number) an `Order Completed` with its
// lines as products, in time order, all customers interleaved. Measures, in one run:
//   - applyEvent events/s, against a reference loop that only sums revenue per customer
//     over the same events (the least any profile update must do): the ratio is printed;
//   - a rebuild from a shuffled log, checked byte-identical with the incremental facts;
//   - fitWorkspaceModel on every customer, and deriveTraits per profile.
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import { deriveTraits, type ProfileFacts } from '../src/profiles/index.js';
import { applyEvent, foldEvents } from '../src/profiles/computed/apply-event.js';
import { emptyFacts } from '../src/profiles/computed/facts-schema.js';
import { fitWorkspaceModel } from '../src/profiles/computed/workspace-model.js';
import type { ProfileEvent } from '../src/profiles/computed/profile-event.js';
import { groupBy, pushTo } from '../src/shared/index.js';
import { seededRng } from '../test/factories/purchase-simulation.js';
import { report } from './_report.js';

const PARTS = [
  'online_retail_full_year_no_invoice_stock_part1.csv.gz',
  'online_retail_full_year_no_invoice_stock_part2.csv.gz',
];

/** Where the customers live, so local hours and timezones are exercised. */
const ZONES: Record<string, string> = {
  'United Kingdom': 'Europe/London',
  Germany: 'Europe/Berlin',
  France: 'Europe/Paris',
  EIRE: 'Europe/Dublin',
  Spain: 'Europe/Madrid',
  Netherlands: 'Europe/Amsterdam',
  Belgium: 'Europe/Brussels',
  Switzerland: 'Europe/Zurich',
  Portugal: 'Europe/Lisbon',
  Australia: 'Australia/Sydney',
  Norway: 'Europe/Oslo',
  Italy: 'Europe/Rome',
};
const COLOURS = new Set(['RED', 'PINK', 'BLUE', 'GREEN', 'WHITE', 'BLACK', 'IVORY', 'CREAM']);

interface Line {
  description: string;
  quantity: number;
  time: number;
  price: number;
  customer: string;
  country: string;
}

async function readLines(dir: string): Promise<Line[]> {
  const lines: Line[] = [];
  for (const part of PARTS) {
    const rows = createReadStream(join(dir, part))
      .pipe(createGunzip())
      .pipe(parse({ columns: true }));
    for await (const r of rows as AsyncIterable<Record<string, string>>) {
      const quantity = Number(r.Quantity);
      if (!r.CustomerID || !(quantity > 0)) continue; // anonymous lines and returns
      lines.push({
        description: r.Description!.trim(),
        quantity,
        time: Date.parse(`${r.InvoiceDate!.replace(' ', 'T')}:00Z`),
        price: Number(r.UnitPrice),
        customer: r.CustomerID,
        country: r.Country!,
      });
    }
  }
  return lines;
}

/** The log as the shell would hand it over: (customer, event) in time order. */
function buildEvents(lines: readonly Line[]): { customer: string; event: ProfileEvent }[] {
  const baskets = groupBy(lines, (l) => `${l.customer}|${l.time}`);
  const out: { customer: string; event: ProfileEvent }[] = [];
  let n = 0;
  for (const basket of baskets.values()) {
    const { customer, time, country } = basket[0]!;
    const zone = ZONES[country];
    const context = zone ? { timezone: zone } : {};
    const products = basket.map((l) => {
      const words = l.description.split(/\s+/);
      const colour = words.find((w) => COLOURS.has(w));
      return {
        product_id: l.description,
        price: l.price,
        quantity: l.quantity,
        category: words[words.length - 1],
        ...(colour ? { colour } : {}),
      };
    });
    products.forEach((properties, i) => {
      out.push({
        customer,
        event: {
          messageId: `a${n++}`,
          type: 'track',
          event: 'Product Added',
          timestamp: time - (basket.length - i) * 20_000,
          properties,
          traits: {},
          context,
        },
      });
    });
    out.push({
      customer,
      event: {
        messageId: `o${n++}`,
        type: 'track',
        event: 'Order Completed',
        timestamp: time,
        properties: { order_id: `${customer}-${time}`, products },
        traits: {},
        context,
      },
    });
  }
  return out.sort((a, b) => a.event.timestamp - b.event.timestamp);
}

/** The reference: sum each customer's order revenue, nothing else. */
function referenceLoop(events: readonly { customer: string; event: ProfileEvent }[]) {
  const revenue = new Map<string, number>();
  for (const { customer, event } of events) {
    const products = event.properties.products;
    if (event.event !== 'Order Completed' || !Array.isArray(products)) continue;
    let sum = 0;
    for (const p of products as { price: number; quantity: number }[]) sum += p.price * p.quantity;
    revenue.set(customer, (revenue.get(customer) ?? 0) + sum);
  }
  return revenue;
}

function incremental(events: readonly { customer: string; event: ProfileEvent }[]) {
  const facts = new Map<string, ProfileFacts>();
  for (const { customer, event } of events) {
    facts.set(customer, applyEvent(facts.get(customer) ?? emptyFacts(), event));
  }
  return facts;
}

function best<T>(runs: number, fn: () => T): { ms: number; value: T } {
  let ms = Infinity;
  let value!: T;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    value = fn();
    ms = Math.min(ms, performance.now() - start);
  }
  return { ms, value };
}

export async function main(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { runs: { type: 'string', default: '3' } },
  });
  const dir = positionals[0] ?? '../shared/data/online_retail';
  const runs = Math.max(1, Number(values.runs));

  const lines = await readLines(dir);
  const events = buildEvents(lines);
  const orders = events.filter((e) => e.event.event === 'Order Completed').length;

  const reference = best(runs, () => referenceLoop(events));
  const core = best(runs, () => incremental(events));
  const facts = core.value;

  // Rebuild: each customer's events in a shuffled order must give byte-identical facts.
  const rng = seededRng(1);
  const perCustomer = new Map<string, ProfileEvent[]>();
  for (const { customer, event } of events) pushTo(perCustomer, customer, event);
  const rebuildStart = performance.now();
  let mismatches = 0;
  for (const [customer, list] of perCustomer) {
    const shuffled = list.map((e) => ({ e, k: rng.next() })).sort((a, b) => a.k - b.k);
    const rebuilt = foldEvents(shuffled.map(({ e }) => e));
    if (JSON.stringify(rebuilt) !== JSON.stringify(facts.get(customer))) mismatches++;
  }
  const rebuildMs = performance.now() - rebuildStart;

  const now = lines.reduce((m, l) => Math.max(m, l.time), -Infinity) + 86_400_000;
  const all = [...facts.values()];
  const fit = best(runs, () => fitWorkspaceModel(all, now));
  const model = fit.value;
  const derive = best(runs, () => all.map((f) => deriveTraits(f, now, model)));
  const sizes = all.map((f) => JSON.stringify(f).length).sort((a, b) => a - b);

  const eventsPerSecond = (events.length / core.ms) * 1000;
  const referencePerSecond = (events.length / reference.ms) * 1000;
  const result = {
    data: dir,
    events: events.length,
    orders,
    customers: facts.size,
    apply_event: { ms: core.ms, events_per_s: Math.round(eventsPerSecond) },
    reference_revenue_loop: { ms: reference.ms, events_per_s: Math.round(referencePerSecond) },
    ratio_core_to_reference: eventsPerSecond / referencePerSecond,
    rebuild_shuffled: { ms: rebuildMs, mismatches },
    fit_workspace_model: {
      ms: fit.ms,
      customers: model.customers,
      bgnbd: model.bgnbd,
      gamma_gamma: model.gamma_gamma,
      default_gap_days: model.default_gap_days,
    },
    derive_traits: { ms: derive.ms, per_profile_us: (derive.ms * 1000) / all.length },
    facts_json_bytes: {
      median: sizes[sizes.length >> 1],
      p99: sizes[Math.floor(sizes.length * 0.99)],
      max: sizes[sizes.length - 1],
    },
  };
  report(
    'profiles-core',
    result,
    `profiles-core: applyEvent ${Math.round(eventsPerSecond).toLocaleString('en')} events/s ` +
      `(${(eventsPerSecond / referencePerSecond).toFixed(3)}× a revenue-sum loop at ` +
      `${Math.round(referencePerSecond).toLocaleString('en')}/s), ${events.length.toLocaleString('en')} events, ` +
      `${facts.size.toLocaleString('en')} customers; rebuild mismatches ${mismatches}; ` +
      `fitWorkspaceModel ${fit.ms.toFixed(0)} ms on ${model.customers} customers; ` +
      `deriveTraits ${result.derive_traits.per_profile_us.toFixed(1)} µs/profile`,
  );
}
