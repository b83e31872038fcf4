// From CSV cells to a design matrix: a column whose every value is a number becomes a
// standardised number; any other column becomes one indicator per value (one-hot). The
// encoding is learnt on the whole file before folds are cut, which uses no outcome and
// so leaks nothing into the held-out scores.

export interface FeatureColumn {
  readonly name: string;
  readonly kind: 'numeric' | 'categorical';
  /** numeric: mean and standard deviation used to standardise. */
  readonly mean?: number;
  readonly sd?: number;
  /** categorical: the values, each its own indicator column. */
  readonly levels?: readonly string[];
}

export interface FeatureEncoding {
  readonly columns: readonly FeatureColumn[];
  /** Names of the design's columns, "(intercept)" first. */
  readonly names: readonly string[];
}

/** Categorical columns with more values than this are refused: an id is not a feature. */
export const MAX_LEVELS = 200;

const isNumber = (v: string) => v.trim() !== '' && Number.isFinite(Number(v));

export function learnEncoding(
  names: readonly string[],
  rows: readonly (readonly string[])[],
): FeatureEncoding {
  const columns: FeatureColumn[] = [];
  const designNames = ['(intercept)'];
  names.forEach((name, c) => {
    const values = rows.map((r) => r[c] ?? '');
    if (values.every(isNumber)) {
      const nums = values.map(Number);
      const mean = nums.reduce((s, v) => s + v, 0) / Math.max(1, nums.length);
      const sd = Math.sqrt(
        nums.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, nums.length),
      );
      columns.push({ name, kind: 'numeric', mean, sd: sd > 0 ? sd : 1 });
      designNames.push(name);
      return;
    }
    const levels = [...new Set(values)].sort();
    if (levels.length > MAX_LEVELS) {
      throw new RangeError(
        `feature column "${name}" has ${levels.length} distinct values (at most ${MAX_LEVELS}): is it an id?`,
      );
    }
    columns.push({ name, kind: 'categorical', levels });
    for (const level of levels) designNames.push(`${name}=${level}`);
  });
  return { columns, names: designNames };
}

/** One design row: 1, then each column's standardised value or indicators. */
export function encodeRow(encoding: FeatureEncoding, cells: readonly string[]): number[] {
  const row = [1];
  encoding.columns.forEach((col, c) => {
    const v = cells[c] ?? '';
    if (col.kind === 'numeric') row.push((Number(v) - col.mean!) / col.sd!);
    else for (const level of col.levels!) row.push(v === level ? 1 : 0);
  });
  return row;
}
