/**
 * The visual rule builder's model and how it becomes the rule language (docs/segments.md):
 * a group of items joined by `all` or `any`, each a trait, computed-trait or event test,
 * a condition kept as JSON (what the rows cannot show: `segment`, `where`, `first`...)
 * or a group of its own, any of them negated. Pure, so the page stays a thin form over it.
 */
export type RowKind = 'trait' | 'computed' | 'event' | 'json';
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
  /** `json` only: the condition as JSON text. */
  json: string;
  negate: boolean;
}

export interface Group {
  kind: 'group';
  join: 'all' | 'any';
  negate: boolean;
  items: Item[];
}
export type Item = Row | Group;
/** The whole rule: the top group. */
export type Rule = Group;

/** How deep groups nest in the builder (the rule language allows more, as JSON). */
export const MAX_GROUP_DEPTH = 4;

export const emptyRow = (): Row => ({
  kind: 'trait',
  name: '',
  operator: 'eq',
  value: '',
  atLeast: '1',
  within: '',
  json: '',
  negate: false,
});

export const emptyGroup = (join: Group['join'] = 'any'): Group => ({
  kind: 'group',
  join,
  negate: false,
  items: [emptyRow()],
});

export const isGroup = (item: Item): item is Group => item.kind === 'group';

/** A typed value: numbers and booleans as such, everything else as the text typed. */
export function operand(text: string): string | number | boolean {
  const trimmed = text.trim();
  if (trimmed === 'true') return true;
  if (trimmed === 'false') return false;
  if (trimmed !== '' && /^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  return text;
}

function rowCondition(row: Row): unknown {
  if (row.kind === 'json') {
    try {
      return JSON.parse(row.json) as unknown;
    } catch {
      return null;
    }
  }
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

function itemCondition(item: Item): unknown {
  const condition = isGroup(item) ? groupCondition(item) : rowCondition(item);
  return item.negate ? { not: condition } : condition;
}

/** A group of one needs no `all`/`any` around it. */
function groupCondition(group: Group): unknown {
  const conditions = group.items.map(itemCondition);
  if (conditions.length === 1) return conditions[0];
  return { [group.join]: conditions };
}

/** The definition the API takes. */
export function toDefinition(rule: Rule): unknown {
  return itemCondition(rule);
}

const DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;

/** "Condition 2.1": where an item sits, 1-based, as the page labels it. */
export const labelOf = (path: readonly number[]) => path.map((i) => i + 1).join('.');

/**
 * What must be filled in before the rule is worth sending: an empty field, a malformed
 * duration or JSON is named here rather than in a refused request. The API checks
 * everything again and its answer is shown as it is.
 */
export function problemsOf(rule: Rule): string[] {
  const problems: string[] = [];
  const walk = (group: Group, path: number[]) => {
    if (group.items.length === 0 && path.length > 0)
      problems.push(`Group ${labelOf(path)}: add a condition or remove the group.`);
    group.items.forEach((item, i) => {
      const at = [...path, i];
      if (isGroup(item)) walk(item, at);
      else problems.push(...rowProblems(item, `Condition ${labelOf(at)}`));
    });
  };
  walk(rule, []);
  return problems;
}

function rowProblems(row: Row, n: string): string[] {
  if (row.kind === 'json') {
    const parsed = rowCondition(row);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? []
      : [`${n}: the JSON is not a condition object.`];
  }
  const problems: string[] = [];
  if (row.name.trim() === '') {
    problems.push(`${n}: ${row.kind === 'event' ? 'the event name' : 'the trait path'} is empty.`);
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
  return problems;
}

/** The item at `path` replaced by `f(item)` (immutably); other items are kept as they are. */
export function updateAt(
  rule: Rule,
  path: readonly number[],
  f: (item: Item) => Item | null,
): Rule {
  const [head, ...rest] = path;
  if (head === undefined) return f(rule) as Rule;
  const items = rule.items.flatMap((item, i) => {
    if (i !== head) return [item];
    if (rest.length === 0) {
      const next = f(item);
      return next === null ? [] : [next];
    }
    return isGroup(item) ? [updateAt(item, rest, f)] : [item];
  });
  return { ...rule, items };
}
