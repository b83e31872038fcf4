/**
 * The visual rule builder's model and how it becomes the rule language (docs/segments.md):
 * a list of rows joined by `all` or `any`, each a trait, computed-trait or event test,
 * optionally negated. Pure, so the page stays a thin form over it.
 */
export type RowKind = 'trait' | 'computed' | 'event';
export const OPERATORS = [
  'eq',
  'neq',
  'gt',
  'gte',
  'lt',
  'lte',
  'contains',
  'starts_with',
  'exists',
] as const;
export type Operator = (typeof OPERATORS)[number];

export interface Row {
  kind: RowKind;
  /** The trait path, or the event name. */
  name: string;
  operator: Operator;
  value: string;
  /** Events only: at least this many, within this ISO duration (blank: ever). */
  atLeast: string;
  within: string;
  negate: boolean;
}

export interface Rule {
  join: 'all' | 'any';
  rows: Row[];
}

export const emptyRow = (): Row => ({
  kind: 'trait',
  name: '',
  operator: 'eq',
  value: '',
  atLeast: '1',
  within: '',
  negate: false,
});

/** A typed value: numbers and booleans as such, everything else as the text typed. */
export function operand(text: string): string | number | boolean {
  const trimmed = text.trim();
  if (trimmed === 'true') return true;
  if (trimmed === 'false') return false;
  if (trimmed !== '' && /^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  return text;
}

function rowCondition(row: Row): Record<string, unknown> {
  if (row.kind === 'event') {
    const condition: Record<string, unknown> = { event: row.name.trim() };
    const count = Number(row.atLeast);
    if (row.atLeast.trim() !== '' && count !== 1) condition.count = { gte: count };
    if (row.within.trim() !== '') condition.within = row.within.trim();
    return condition;
  }
  return {
    [row.kind]: row.name.trim(),
    [row.operator]: row.operator === 'exists' ? true : operand(row.value),
  };
}

/** The definition the API takes; one row needs no `all`/`any` around it. */
export function toDefinition(rule: Rule): Record<string, unknown> {
  const conditions = rule.rows.map((row) =>
    row.negate ? { not: rowCondition(row) } : rowCondition(row),
  );
  if (conditions.length === 1) return conditions[0]!;
  return { [rule.join]: conditions };
}

const DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;

/**
 * What must be filled in before the rule is worth sending: an empty field or a malformed
 * duration is named here rather than in a refused request. The API checks everything
 * again and its answer is shown as it is.
 */
export function problemsOf(rule: Rule): string[] {
  const problems: string[] = [];
  rule.rows.forEach((row, i) => {
    const n = `Condition ${i + 1}`;
    if (row.name.trim() === '') {
      problems.push(
        `${n}: ${row.kind === 'event' ? 'the event name' : 'the trait path'} is empty.`,
      );
    }
    if (row.kind === 'event') {
      if (row.within.trim() !== '' && !DURATION.test(row.within.trim())) {
        problems.push(`${n}: within must be an ISO 8601 duration such as P30D or PT12H.`);
      }
      const count = Number(row.atLeast);
      if (row.atLeast.trim() !== '' && (!Number.isInteger(count) || count < 1)) {
        problems.push(`${n}: "at least" must be a whole number of times, 1 or more.`);
      }
    }
  });
  return problems;
}
