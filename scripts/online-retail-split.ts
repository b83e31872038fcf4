// Builds the temporal split of UCI Online Retail used to evaluate recommendations:
//
//   node --import tsx scripts/online-retail-split.ts --out /tmp/or-split [--data DIR]
//
// Source: the two full-year files in /work/shared/data/online_retail (see SOURCE.md
// there). They have no InvoiceNo/StockCode, so the item key is the product Description
// (trimmed, inner whitespace collapsed). Kept: rows with a CustomerID, Quantity > 0,
// UnitPrice > 0 and a real product (postage, fees, manual adjustments dropped).
// InvoiceDate is UK local time without a zone; it is read as UTC.
//
// Writes, all with header user_id,item_id,timestamp,event_type,quantity (epoch seconds):
//   train.csv             purchases before --cut (default 2011-09-01)
//   test.csv              purchases from --cut on, by customers who are in train.csv, of
//                         items that customer did not buy before --cut; one row per
//                         (customer, item), its first purchase
//   validation/train.csv  purchases before --validation-cut (default 2011-06-01)
//   validation/test.csv   the same rule for [--validation-cut, --cut)
//   catalog.jsonl         one CatalogItem per item in train.csv (title, median price)
//   validation/catalog.jsonl  the same for validation/train.csv
//   split.json            the parameters and row/customer/item counts
import { createReadStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';

const FILES = [
  'online_retail_full_year_no_invoice_stock_part1.csv.gz',
  'online_retail_full_year_no_invoice_stock_part2.csv.gz',
];
/** Descriptions that are not products: postage, fees, manual adjustments. */
export const NON_PRODUCTS = new Set([
  'POSTAGE',
  'DOTCOM POSTAGE',
  'CARRIAGE',
  'Next Day Carriage',
  'PACKING CHARGE',
  'Manual',
  'Bank Charges',
  'AMAZON FEE',
  'SAMPLES',
  'CRUK Commission',
  'Adjust bad debt',
  'Discount',
  'High Resolution Image',
  'PADS TO MATCH ALL CUSHIONS',
]);

export interface Purchase {
  user: string;
  item: string;
  /** Epoch seconds. */
  t: number;
  quantity: number;
  price: number;
}

export interface SplitOptions {
  data: string;
  out: string;
  cut: string;
  validationCut: string;
}

function arg(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

export function parseArgs(args: string[]): SplitOptions {
  const out = arg(args, '--out');
  if (!out) {
    console.error(
      'Usage: node --import tsx scripts/online-retail-split.ts --out DIR [--data DIR] [--cut YYYY-MM-DD] [--validation-cut YYYY-MM-DD]',
    );
    process.exit(2);
  }
  return {
    out,
    data: arg(args, '--data') ?? '/work/shared/data/online_retail',
    cut: arg(args, '--cut') ?? '2011-09-01',
    validationCut: arg(args, '--validation-cut') ?? '2011-06-01',
  };
}

/** Reads and filters the purchases of both full-year files, in file order. */
export async function readPurchases(dataDir: string): Promise<Purchase[]> {
  const out: Purchase[] = [];
  for (const f of FILES) {
    const rows = createReadStream(join(dataDir, f))
      .pipe(createGunzip())
      .pipe(parse({ columns: true }));
    for await (const r of rows as AsyncIterable<Record<string, string>>) {
      const item = (r.Description ?? '').trim().replace(/\s+/g, ' ');
      const quantity = Number(r.Quantity);
      const price = Number(r.UnitPrice);
      if (!r.CustomerID || !item || NON_PRODUCTS.has(item)) continue;
      if (!(quantity > 0) || !(price > 0)) continue;
      const t = Date.parse(`${r.InvoiceDate!.replace(' ', 'T')}:00Z`) / 1000;
      if (!Number.isFinite(t)) throw new Error(`${f}: bad InvoiceDate "${r.InvoiceDate}"`);
      out.push({ user: r.CustomerID, item, t, quantity, price });
    }
  }
  return out;
}

const csvField = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

function writeCsv(path: string, rows: readonly Purchase[]): void {
  const lines = ['user_id,item_id,timestamp,event_type,quantity'];
  for (const p of rows) lines.push(`${p.user},${csvField(p.item)},${p.t},purchase,${p.quantity}`);
  writeFileSync(path, `${lines.join('\n')}\n`);
}

function writeCatalog(path: string, rows: readonly Purchase[]): void {
  const prices = new Map<string, number[]>();
  for (const p of rows) {
    let list = prices.get(p.item);
    if (!list) prices.set(p.item, (list = []));
    list.push(p.price);
  }
  const lines = [...prices].map(([id, ps]) => {
    ps.sort((a, b) => a - b);
    return JSON.stringify({ id, title: id, price: ps[ps.length >> 1], currency: 'GBP' });
  });
  writeFileSync(path, `${lines.join('\n')}\n`);
}

/** Train = before the cut; test = each train customer's first purchase of a new item after. */
export function temporalSplit(
  rows: readonly Purchase[],
  cutSeconds: number,
  endSeconds = Infinity,
): { train: Purchase[]; test: Purchase[] } {
  const train = rows.filter((p) => p.t < cutSeconds);
  const had = new Map<string, Set<string>>();
  for (const p of train) {
    let s = had.get(p.user);
    if (!s) had.set(p.user, (s = new Set()));
    s.add(p.item);
  }
  const later = rows.filter((p) => p.t >= cutSeconds && p.t < endSeconds).sort((a, b) => a.t - b.t);
  const test: Purchase[] = [];
  const seen = new Set<string>();
  for (const p of later) {
    const bought = had.get(p.user);
    const key = `${p.user}\u0000${p.item}`;
    if (!bought || bought.has(p.item) || seen.has(key)) continue;
    seen.add(key);
    test.push(p);
  }
  return { train, test };
}

const stats = (rows: readonly Purchase[]) => ({
  rows: rows.length,
  customers: new Set(rows.map((p) => p.user)).size,
  items: new Set(rows.map((p) => p.item)).size,
});

export async function buildSplit(o: SplitOptions): Promise<Record<string, unknown>> {
  const rows = await readPurchases(o.data);
  const cut = Date.parse(`${o.cut}T00:00:00Z`) / 1000;
  const vcut = Date.parse(`${o.validationCut}T00:00:00Z`) / 1000;
  if (!(vcut < cut)) throw new Error('--validation-cut must be before --cut');
  const main = temporalSplit(rows, cut);
  const validation = temporalSplit(main.train, vcut, cut);
  mkdirSync(join(o.out, 'validation'), { recursive: true });
  writeCsv(join(o.out, 'train.csv'), main.train);
  writeCsv(join(o.out, 'test.csv'), main.test);
  writeCatalog(join(o.out, 'catalog.jsonl'), main.train);
  writeCsv(join(o.out, 'validation', 'train.csv'), validation.train);
  writeCsv(join(o.out, 'validation', 'test.csv'), validation.test);
  writeCatalog(join(o.out, 'validation', 'catalog.jsonl'), validation.train);
  const summary = {
    source: o.data,
    cut: o.cut,
    validationCut: o.validationCut,
    kept: stats(rows),
    train: stats(main.train),
    test: stats(main.test),
    validationTrain: stats(validation.train),
    validationTest: stats(validation.test),
  };
  writeFileSync(join(o.out, 'split.json'), `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const summary = await buildSplit(parseArgs(process.argv.slice(2)));
  console.log(JSON.stringify(summary, null, 2));
}
