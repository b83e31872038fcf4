import { parseIsoDate } from './dates.js';
import { parseDuration } from './duration.js';
import { SEGMENT_LIMITS } from './limits.js';

export const VALUE_OPERATORS = [
  'eq',
  'neq',
  'in',
  'not_in',
  'contains',
  'starts_with',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
  'exists',
  'not_exists',
  'before',
  'after',
  'within_last',
  'more_than_ago',
  'anniversary_within',
] as const;
export type OperatorName = (typeof VALUE_OPERATORS)[number];

/**
 * Where a test sits decides which operators make sense there:
 * - `trait`: trait and computed conditions, every operator;
 * - `where`: event properties; no operator relative to now, because an event's match
 *   must not change with time (the window belongs to `within`);
 * - `count`: the number of matching events;
 * - `time`: `first` / `last`, the time of an event.
 */
export type Place = 'trait' | 'where' | 'count' | 'time';

const RELATIVE: readonly OperatorName[] = ['within_last', 'more_than_ago', 'anniversary_within'];

export const OPERATORS_BY_PLACE: Record<Place, readonly OperatorName[]> = {
  trait: VALUE_OPERATORS,
  where: VALUE_OPERATORS.filter((op) => !RELATIVE.includes(op)),
  count: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between'],
  time: ['before', 'after', 'between', 'within_last', 'more_than_ago'],
};

const PLACE_NAMES: Record<Place, string> = {
  trait: 'a trait condition',
  where: 'where',
  count: 'count',
  time: 'first or last',
};

export function isOperator(key: string): key is OperatorName {
  return (VALUE_OPERATORS as readonly string[]).includes(key);
}

/** Why `op` cannot appear in `place`, or null if it can. */
export function misplacedOperator(op: OperatorName, place: Place): string | null {
  if (OPERATORS_BY_PLACE[place].includes(op)) return null;
  const allowed = OPERATORS_BY_PLACE[place].join(', ');
  const why =
    place === 'where' && RELATIVE.includes(op)
      ? ' (a match must not change with time: put the window in the event condition’s "within", or use first/last)'
      : '';
  return `operator "${op}" cannot be used in ${PLACE_NAMES[place]}${why}; use one of ${allowed}`;
}

const DATE_PROBLEM =
  'must be an ISO 8601 date or date-time with a zone, such as 2024-05-01 or 2024-05-01T09:00:00Z';

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isDate = (v: unknown): v is string =>
  typeof v === 'string' && parseIsoDate(v, true) !== undefined;

function scalarProblem(v: unknown): string | null {
  if (typeof v === 'string') {
    return v.length > SEGMENT_LIMITS.maxTextLength
      ? `must be at most ${SEGMENT_LIMITS.maxTextLength} characters`
      : null;
  }
  return typeof v === 'boolean' || isFiniteNumber(v)
    ? null
    : 'must be a string, a number or a boolean';
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function listProblem(v: unknown): string | null {
  if (!Array.isArray(v) || v.length === 0) {
    return 'must be a non-empty list of strings, numbers or booleans';
  }
  if (v.length > SEGMENT_LIMITS.maxListValues) {
    return `must list at most ${SEGMENT_LIMITS.maxListValues} values`;
  }
  const bad = v.findIndex((item) => scalarProblem(item) !== null);
  return bad < 0
    ? null
    : `must list only strings, numbers or booleans (item ${bad} is ${describe(v[bad])})`;
}

function betweenProblem(v: unknown, place: Place): string | null {
  const pair = Array.isArray(v) && v.length === 2 ? (v as [unknown, unknown]) : null;
  const lo = pair?.[0];
  const hi = pair?.[1];
  if (place === 'count') {
    if (!pair || !isCount(lo) || !isCount(hi)) {
      return 'must be a pair [low, high] of whole numbers ≥ 0';
    }
  } else if (place === 'time' || typeof lo === 'string') {
    if (!pair || !isDate(lo) || !isDate(hi)) {
      return place === 'time'
        ? `must be a pair [from, to] of dates; each ${DATE_PROBLEM}`
        : `must be a pair [low, high] of numbers, or of dates (each ${DATE_PROBLEM})`;
    }
    if (parseIsoDate(lo, true)! > parseIsoDate(hi, true)!) return 'must not start after it ends';
    return null;
  } else if (!pair || !isFiniteNumber(lo) || !isFiniteNumber(hi)) {
    return 'must be a pair [low, high] of numbers, or of ISO 8601 dates';
  }
  return lo > hi ? 'must not start after it ends (low ≤ high)' : null;
}

/** The problem with `value` as the operand of `op` in `place`, or null if it is fine. */
export function operandProblem(op: OperatorName, place: Place, value: unknown): string | null {
  switch (op) {
    case 'eq':
    case 'neq':
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      if (place === 'count') return isCount(value) ? null : 'must be a whole number ≥ 0';
      if (op === 'eq' || op === 'neq') return scalarProblem(value);
      return isFiniteNumber(value) ? null : 'must be a number (use before/after for dates)';
    case 'contains':
      return scalarProblem(value);
    case 'in':
    case 'not_in':
      return listProblem(value);
    case 'starts_with':
      return typeof value === 'string' && value.length > 0 && !scalarProblem(value)
        ? null
        : `must be a non-empty string of at most ${SEGMENT_LIMITS.maxTextLength} characters`;
    case 'between':
      return betweenProblem(value, place);
    case 'exists':
    case 'not_exists':
      return value === true ? null : 'must be true';
    case 'before':
    case 'after':
      return isDate(value) ? null : DATE_PROBLEM;
    case 'within_last':
    case 'more_than_ago': {
      const parsed = parseDuration(value);
      return parsed.kind === 'ok' ? null : parsed.problem;
    }
    case 'anniversary_within':
      return Number.isSafeInteger(value) &&
        (value as number) >= 0 &&
        (value as number) <= SEGMENT_LIMITS.maxAnniversaryDays
        ? null
        : `must be a whole number of days from 0 to ${SEGMENT_LIMITS.maxAnniversaryDays}`;
  }
}
