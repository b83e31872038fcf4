import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ValidationError } from '../shared/index.js';

/** The shop's last weeks, held back at import and replayed as live traffic. */
export const HOLD_BACK_DAYS = 21;

/**
 * The Online Retail year shipped with Rapport (`data/online-retail`, CC BY 4.0; see its
 * SOURCE.md). Two folders up from this file both in `src/cli` and in `dist/cli`.
 */
export const BUNDLED_DATA = fileURLToPath(new URL('../../data/online-retail/', import.meta.url));

/** The Online Retail CSV files (`.csv`, `.csv.gz`) of a folder, in name order. */
export function dataFiles(dir: string, flag = '--source'): string[] {
  const folder = resolve(dir);
  const fail = (problem: string) =>
    new ValidationError(`${flag} ${dir}: ${problem}.`, [{ path: flag, problem }]);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw fail('is not a folder');
  const files = readdirSync(folder)
    .filter((f) => /\.csv(\.gz)?$/i.test(f))
    .sort()
    .map((f) => join(folder, f));
  if (files.length === 0) throw fail('holds no .csv or .csv.gz file in the Online Retail layout');
  return files;
}

/**
 * Gives each customer of the data (who has none) a made-up address under `example.com`,
 * a domain reserved for examples (RFC 2606), and a consent statement: one in ten says no
 * to e-mail, so the demo shows messages withheld for consent too. Other events pass.
 *
 * @example demoContact({ type: 'identify', userId: '12350', traits: {} }).traits
 * // { email: 'customer-12350@example.com', email_opt_in: false }
 */
export function demoContact(event: Record<string, unknown>): Record<string, unknown> {
  if (event.type !== 'identify' || typeof event.userId !== 'string') return event;
  const traits =
    typeof event.traits === 'object' && event.traits !== null
      ? (event.traits as Record<string, unknown>)
      : {};
  const digits = /\d+/.exec(event.userId)?.[0] ?? '1';
  return {
    ...event,
    traits: {
      ...traits,
      email: `customer-${event.userId}@example.com`,
      email_opt_in: Number(digits) % 10 !== 0,
    },
  };
}
