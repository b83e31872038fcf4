import { parseDuration } from './duration.js';
import { SEGMENT_LIMITS } from './limits.js';
import {
  OPERATORS_BY_PLACE,
  isOperator,
  misplacedOperator,
  operandProblem,
  type OperatorName,
  type Place,
} from './operators.js';

export type IssuePath = (string | number)[];
export interface Issue {
  path: IssuePath;
  problem: string;
}

export const CONDITION_KINDS = [
  'trait',
  'computed',
  'event',
  'segment',
  'all',
  'any',
  'not',
] as const;
export type ConditionKind = (typeof CONDITION_KINDS)[number];

const EVENT_FIELDS = ['event', 'where', 'count', 'within', 'first', 'last'];
/** The roots a `where` path may start from: the fields of a SubjectEvent. */
const EVENT_ROOTS = ['properties', 'context', 'type', 'event', 'timestamp'];
const KIND_LIST = CONDITION_KINDS.map((k) => `"${k}"`).join(', ');

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Every problem with a definition, each with the path where it occurs relative to the
 * definition. Sizes are checked first and without recursion; only a definition within
 * the limits is walked, so the walk's depth is bounded.
 */
export function checkDefinition(input: unknown): Issue[] {
  const sizeIssue = checkSize(input);
  if (sizeIssue) return [sizeIssue];
  const issues: Issue[] = [];
  checkCondition(input, [], issues);
  return issues;
}

function checkSize(root: unknown): Issue | null {
  const stack: { node: unknown; depth: number; path: IssuePath }[] = [
    { node: root, depth: 1, path: [] },
  ];
  let count = 0;
  while (stack.length > 0) {
    const { node, depth, path } = stack.pop()!;
    if (depth > SEGMENT_LIMITS.maxDepth) {
      return {
        path,
        problem: `is nested too deeply: at most ${SEGMENT_LIMITS.maxDepth} levels of conditions (all/any/not add a level)`,
      };
    }
    if (++count > SEGMENT_LIMITS.maxConditions) {
      return {
        path: [],
        problem: `has more than ${SEGMENT_LIMITS.maxConditions} conditions; split it into segments and refer to them with {"segment": "<id>"}`,
      };
    }
    if (!isObject(node)) continue;
    for (const key of ['all', 'any'] as const) {
      const children = node[key];
      if (!Array.isArray(children)) continue;
      // Pushed in reverse so problems are found in reading order.
      for (let i = Math.min(children.length, SEGMENT_LIMITS.maxConditions + 1) - 1; i >= 0; i--) {
        stack.push({ node: children[i], depth: depth + 1, path: [...path, key, i] });
      }
    }
    if (Object.hasOwn(node, 'not')) {
      stack.push({ node: node.not, depth: depth + 1, path: [...path, 'not'] });
    }
  }
  return null;
}

function checkCondition(node: unknown, path: IssuePath, out: Issue[]): void {
  if (!isObject(node)) {
    out.push({
      path,
      problem: 'must be a condition object, such as {"trait": "plan", "eq": "pro"}',
    });
    return;
  }
  const kinds = CONDITION_KINDS.filter((k) => Object.hasOwn(node, k));
  if (kinds.length === 0) {
    out.push({ path, problem: `is not a condition: it needs exactly one of ${KIND_LIST}` });
    return;
  }
  if (kinds.length > 1) {
    out.push({
      path,
      problem: `mixes ${kinds.map((k) => `"${k}"`).join(' and ')}: a condition has exactly one of ${KIND_LIST}; combine conditions with "all" or "any"`,
    });
    return;
  }
  const kind = kinds[0]!;
  switch (kind) {
    case 'trait':
    case 'computed':
      checkPath(node[kind], [...path, kind], out);
      checkTest(
        node,
        Object.keys(node).filter((k) => k !== kind),
        path,
        'trait',
        out,
      );
      return;
    case 'event':
      checkEvent(node, path, out);
      return;
    case 'segment':
      checkText(node.segment, [...path, 'segment'], 'a segment id', out);
      unknownFields(node, ['segment'], path, 'a segment condition', out);
      return;
    case 'all':
    case 'any': {
      const children = node[kind];
      if (!Array.isArray(children) || children.length === 0) {
        out.push({ path: [...path, kind], problem: 'must be a non-empty list of conditions' });
      } else {
        children.forEach((child, i) => checkCondition(child, [...path, kind, i], out));
      }
      unknownFields(node, [kind], path, `an "${kind}" condition`, out);
      return;
    }
    case 'not':
      checkCondition(node.not, [...path, 'not'], out);
      unknownFields(node, ['not'], path, 'a "not" condition', out);
      return;
  }
}

function checkEvent(node: Record<string, unknown>, path: IssuePath, out: Issue[]): void {
  checkText(node.event, [...path, 'event'], 'an event name', out);
  unknownFields(node, EVENT_FIELDS, path, 'an event condition', out);
  if (node.where !== undefined) checkWhere(node.where, [...path, 'where'], out);
  if (node.count !== undefined) checkTestObject(node.count, [...path, 'count'], 'count', out);
  if (node.within !== undefined) {
    const parsed = parseDuration(node.within);
    if (parsed.kind !== 'ok') out.push({ path: [...path, 'within'], problem: parsed.problem });
    if (node.first !== undefined || node.last !== undefined) {
      out.push({
        path: [...path, 'within'],
        problem:
          'cannot be combined with first or last, which look at all time; test their time instead, e.g. "first": {"within_last": "P30D"}',
      });
    }
  }
  for (const key of ['first', 'last'] as const) {
    if (node[key] !== undefined) checkTestObject(node[key], [...path, key], 'time', out);
  }
}

function checkWhere(where: unknown, path: IssuePath, out: Issue[]): void {
  if (!isObject(where) || Object.keys(where).length === 0) {
    out.push({
      path,
      problem: 'must map event paths to tests, such as {"properties.category": {"eq": "shoes"}}',
    });
    return;
  }
  const entries = Object.entries(where);
  if (entries.length > SEGMENT_LIMITS.maxWhereEntries) {
    out.push({ path, problem: `must have at most ${SEGMENT_LIMITS.maxWhereEntries} entries` });
    return;
  }
  for (const [key, test] of entries) {
    const at = [...path, key];
    const before = out.length;
    checkPath(key, at, out);
    if (out.length === before && !EVENT_ROOTS.includes(key.split('.')[0]!)) {
      out.push({
        path: at,
        problem: `must be a path into the event, starting with "properties." or "context." (or be "type", "event" or "timestamp"); did you mean "properties.${key}"?`,
      });
    }
    checkTestObject(test, at, 'where', out);
  }
}

function checkTestObject(test: unknown, path: IssuePath, place: Place, out: Issue[]): void {
  if (!isObject(test)) {
    const example =
      place === 'count'
        ? '{"gte": 2}'
        : place === 'time'
          ? '{"within_last": "P30D"}'
          : '{"eq": "shoes"}';
    out.push({ path, problem: `must be an object with one operator, such as ${example}` });
    return;
  }
  checkTest(test, Object.keys(test), path, place, out);
}

/** Exactly one known operator allowed in `place`, with a valid operand. */
function checkTest(
  node: Record<string, unknown>,
  keys: string[],
  path: IssuePath,
  place: Place,
  out: Issue[],
): void {
  const ops: OperatorName[] = [];
  let reported = false;
  for (const key of keys) {
    if (!isOperator(key)) {
      out.push({
        path: [...path, key],
        problem: `unknown operator "${key}"; use one of ${OPERATORS_BY_PLACE[place].join(', ')}`,
      });
      reported = true;
      continue;
    }
    const misplaced = misplacedOperator(key, place);
    if (misplaced) {
      out.push({ path: [...path, key], problem: misplaced });
      reported = true;
      continue;
    }
    ops.push(key);
  }
  if (ops.length === 0) {
    if (!reported) {
      out.push({
        path,
        problem: `has no operator; add one of ${OPERATORS_BY_PLACE[place].join(', ')}`,
      });
    }
    return;
  }
  if (ops.length > 1) {
    out.push({
      path,
      problem: `has ${ops.length} operators (${ops.join(', ')}); use exactly one, and combine conditions with "all" or "any"`,
    });
    return;
  }
  const op = ops[0]!;
  const problem = operandProblem(op, place, node[op]);
  if (problem) out.push({ path: [...path, op], problem });
}

function checkPath(value: unknown, path: IssuePath, out: Issue[]): void {
  if (
    typeof value !== 'string' ||
    value.length === 0 ||
    value.length > SEGMENT_LIMITS.maxPathLength ||
    value.split('.').some((part) => part.length === 0)
  ) {
    out.push({
      path,
      problem: `must be a dotted path such as "plan" or "rfm.code" (no empty parts, at most ${SEGMENT_LIMITS.maxPathLength} characters)`,
    });
  }
}

function checkText(value: unknown, path: IssuePath, what: string, out: Issue[]): void {
  if (
    typeof value !== 'string' ||
    value.length === 0 ||
    value.length > SEGMENT_LIMITS.maxTextLength
  ) {
    out.push({
      path,
      problem: `must be ${what}: a non-empty string of at most ${SEGMENT_LIMITS.maxTextLength} characters`,
    });
  }
}

function unknownFields(
  node: Record<string, unknown>,
  allowed: readonly string[],
  path: IssuePath,
  what: string,
  out: Issue[],
): void {
  for (const key of Object.keys(node)) {
    if (!allowed.includes(key)) {
      out.push({
        path: [...path, key],
        problem: `unknown field "${key}" in ${what}; it takes ${allowed.map((k) => `"${k}"`).join(', ')}`,
      });
    }
  }
}
