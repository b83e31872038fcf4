// From a parsed CSV (header and rows of cells) to the arms, outcome and features of an
// uplift evaluation, refusing what would give a wrong answer quietly: unknown columns,
// a treatment column without the two arms named, outcomes that are not numbers.

import { ValidationError } from '../../../shared/index.js';
import type { UpliftData } from './cross-fit.js';

export interface UpliftColumns {
  readonly treatment: string;
  readonly outcome: string;
  /** The treatment column's value for treated rows; found when the column is 0/1 or true/false. */
  readonly treatedValue?: string | undefined;
  readonly controlValue?: string | undefined;
  /** Feature columns; default every column but the treatment and the outcome. */
  readonly features?: readonly string[] | undefined;
}

export interface UpliftTable {
  readonly data: UpliftData;
  readonly treatedValue: string;
  readonly controlValue: string;
  /** Rows in neither arm (a third arm of the experiment), left out. */
  readonly skipped: number;
}

const BINARY_PAIRS: readonly (readonly [string, string])[] = [
  ['1', '0'],
  ['true', 'false'],
  ['yes', 'no'],
];

function columnIndex(header: readonly string[], name: string, option: string): number {
  const i = header.indexOf(name);
  if (i < 0) {
    throw new ValidationError(
      `${option}: no column "${name}" in the file (columns: ${header.join(', ')})`,
      [{ path: option, problem: `unknown column "${name}"` }],
    );
  }
  return i;
}

function arms(
  values: readonly string[],
  spec: UpliftColumns,
): { treatedValue: string; controlValue: string } {
  const distinct = [...new Set(values)].sort();
  const shown = distinct
    .slice(0, 10)
    .map((v) => `"${v}"`)
    .join(', ');
  const ask = `pass --treated VALUE and --control VALUE naming the two arms`;
  if (spec.treatedValue !== undefined || spec.controlValue !== undefined) {
    const others = (v: string | undefined) => distinct.filter((d) => d !== v);
    const treatedValue =
      spec.treatedValue ??
      (others(spec.controlValue).length === 1 ? others(spec.controlValue)[0] : undefined);
    const controlValue =
      spec.controlValue ??
      (others(spec.treatedValue).length === 1 ? others(spec.treatedValue)[0] : undefined);
    for (const [option, value] of [
      ['--treated', treatedValue],
      ['--control', controlValue],
    ] as const) {
      if (value === undefined) {
        throw new ValidationError(
          `--treatment column "${spec.treatment}" has values ${shown}: ${ask}`,
          [{ path: option, problem: 'needed when the treatment column has more than two values' }],
        );
      }
      if (!distinct.includes(value)) {
        throw new ValidationError(
          `${option} "${value}" never occurs in column "${spec.treatment}" (values: ${shown})`,
          [{ path: option, problem: `no row has "${value}"` }],
        );
      }
    }
    if (treatedValue === controlValue) {
      throw new ValidationError('--treated and --control name the same value', [
        { path: '--control', problem: 'must differ from --treated' },
      ]);
    }
    return { treatedValue: treatedValue!, controlValue: controlValue! };
  }
  const lower = distinct.map((d) => d.toLowerCase());
  for (const [t, c] of BINARY_PAIRS) {
    if (lower.length === 2 && lower.includes(t) && lower.includes(c)) {
      return {
        treatedValue: distinct[lower.indexOf(t)]!,
        controlValue: distinct[lower.indexOf(c)]!,
      };
    }
  }
  throw new ValidationError(
    `--treatment column "${spec.treatment}" is not binary: it has ${distinct.length} values (${shown}); ${ask}`,
    [{ path: '--treatment', problem: `values ${shown} are not 0/1 or true/false` }],
  );
}

/**
 * Build the evaluation's input from parsed CSV rows. `firstLine` is the file line of
 * rows[0] (2 after a header), so errors point at the line to fix.
 */
export function upliftTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  spec: UpliftColumns,
  firstLine = 2,
): UpliftTable {
  if (rows.length === 0) {
    throw new ValidationError('--data has a header but no rows', [
      { path: '--data', problem: 'no data rows' },
    ]);
  }
  const ti = columnIndex(header, spec.treatment, '--treatment');
  const oi = columnIndex(header, spec.outcome, '--outcome');
  if (ti === oi) {
    throw new ValidationError('--treatment and --outcome name the same column', [
      { path: '--outcome', problem: 'must differ from --treatment' },
    ]);
  }
  const featureNames = spec.features ?? header.filter((_, i) => i !== ti && i !== oi);
  const fi = featureNames.map((f) => columnIndex(header, f, '--features'));
  if (fi.includes(ti) || fi.includes(oi)) {
    throw new ValidationError('--features may not include the treatment or the outcome column', [
      { path: '--features', problem: 'names the treatment or outcome column' },
    ]);
  }
  const { treatedValue, controlValue } = arms(
    rows.map((r) => r[ti] ?? ''),
    spec,
  );
  const features: string[][] = [];
  const treated: boolean[] = [];
  const outcome: number[] = [];
  let skipped = 0;
  rows.forEach((r, k) => {
    const arm = r[ti];
    if (arm !== treatedValue && arm !== controlValue) {
      skipped++;
      return;
    }
    const cell = r[oi] ?? '';
    const y = Number(cell);
    if (cell.trim() === '' || !Number.isFinite(y)) {
      const line = firstLine + k;
      throw new ValidationError(
        `line ${line}: --outcome column "${spec.outcome}" has "${cell}", not a number`,
        [{ path: `line ${line}`, problem: `"${spec.outcome}" must be a number` }],
      );
    }
    treated.push(arm === treatedValue);
    outcome.push(y);
    features.push(fi.map((i) => r[i] ?? ''));
  });
  return {
    data: { featureNames, features, treated, outcome },
    treatedValue,
    controlValue,
    skipped,
  };
}
