import {
  emptyRow,
  OPERATORS,
  operand,
  type Group,
  type Item,
  type Operator,
} from './rule-builder.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown) =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

const asJson = (condition: unknown, negate = false): Item => ({
  ...emptyRow(),
  kind: 'json',
  json: JSON.stringify(condition, null, 2),
  negate,
});

/**
 * A stored definition as the builder's items: the reverse of `toDefinition`. What the
 * rows cannot show exactly (a `segment` condition, `where`, `first`, a count other than
 * "at least", a text value that reads as a number) becomes a JSON item kept verbatim, so
 * saving writes back the same rule.
 */
export function fromDefinition(definition: unknown): Group {
  const item = toItem(definition, false);
  if (item.kind === 'group') return item;
  return { kind: 'group', join: 'all', negate: false, items: [item] };
}

function toItem(condition: unknown, negate: boolean): Item {
  if (!isObject(condition)) return asJson(condition, negate);
  const keys = Object.keys(condition);
  if (keys.length === 1 && (keys[0] === 'all' || keys[0] === 'any')) {
    const list = condition[keys[0]];
    if (!Array.isArray(list) || list.length === 0) return asJson(condition, negate);
    return { kind: 'group', join: keys[0], negate, items: list.map((c) => toItem(c, false)) };
  }
  if (keys.length === 1 && keys[0] === 'not' && !negate) return toItem(condition.not, true);
  const row = { ...emptyRow(), negate };
  for (const kind of ['trait', 'computed'] as const) {
    if (!(kind in condition)) continue;
    const op = keys.find((k) => k !== kind);
    const value = op === undefined ? undefined : condition[op];
    const path = condition[kind];
    if (
      keys.length !== 2 ||
      typeof path !== 'string' ||
      !OPERATORS.includes(op as Operator) ||
      !isScalar(value) ||
      (op === 'exists' && value !== true) ||
      (typeof value === 'string' && operand(value) !== value)
    )
      return asJson(condition, negate);
    return {
      ...row,
      kind,
      name: path,
      operator: op as Operator,
      value: op === 'exists' ? '' : String(value),
    };
  }
  if (
    typeof condition.event === 'string' &&
    keys.every((k) => ['event', 'count', 'within'].includes(k))
  ) {
    const count = condition.count;
    const within = condition.within;
    const atLeast =
      count === undefined
        ? 1
        : isObject(count) && Object.keys(count).length === 1
          ? count.gte
          : undefined;
    if (typeof atLeast !== 'number' || !Number.isInteger(atLeast) || atLeast < 1)
      return asJson(condition, negate);
    if (within !== undefined && typeof within !== 'string') return asJson(condition, negate);
    return {
      ...row,
      kind: 'event',
      name: condition.event,
      atLeast: String(atLeast),
      within: within ?? '',
    };
  }
  return asJson(condition, negate);
}
