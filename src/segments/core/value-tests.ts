import { anniversaryChangesAt, isAnniversaryWithin } from './anniversary.js';
import { parseIsoDate, toEpochMs } from './dates.js';
import { durationMs } from './duration.js';
import type { OperatorName } from './operators.js';
import { equalsTo, isScalar, memberOf, toNumber, type Scalar } from './values.js';

/** An operator with its operand, ready to test values. */
export interface CompiledTest {
  /** Whether `value` passes at time `now`. Never throws, whatever `value` is. */
  test: (value: unknown, now: number) => boolean;
  /**
   * For operators relative to now: the first time after `now` at which `test(value, ·)`
   * changes, or null if it never does. Null for every other operator.
   */
  changesAt: (value: unknown, now: number) => number | null;
}

const never = (): null => null;
const fixed = (test: (value: unknown) => boolean): CompiledTest => ({ test, changesAt: never });

const dateOf = (text: string): number => {
  const ms = parseIsoDate(text, true);
  if (ms === undefined) throw new Error(`invalid date ${JSON.stringify(text)}`);
  return ms;
};

/**
 * Compiles one operator and its (validated) operand. The type rules are in values.ts
 * and dates.ts; a value of the wrong kind fails every operator but `not_exists` (and
 * `neq`/`not_in`/`contains` only pass present values of a comparable kind).
 */
export function compileTest(op: OperatorName, operand: unknown): CompiledTest {
  switch (op) {
    case 'eq':
      return fixed(equalsTo(operand as Scalar));
    case 'neq': {
      const eq = equalsTo(operand as Scalar);
      return fixed((v) => isScalar(v) && !eq(v));
    }
    case 'in':
      return fixed(memberOf(operand as Scalar[]));
    case 'not_in': {
      const member = memberOf(operand as Scalar[]);
      return fixed((v) => isScalar(v) && !member(v));
    }
    case 'contains': {
      const eq = equalsTo(operand as Scalar);
      const text = String(operand);
      return fixed((v) =>
        typeof v === 'string' ? v.includes(text) : Array.isArray(v) && v.some(eq),
      );
    }
    case 'starts_with': {
      const prefix = operand as string;
      return fixed((v) => typeof v === 'string' && v.startsWith(prefix));
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return fixed(compare(op, operand as number));
    case 'between': {
      const [lo, hi] = operand as [number, number] | [string, string];
      if (typeof lo === 'number' && typeof hi === 'number') {
        return fixed((v) => {
          const n = toNumber(v);
          return n !== undefined && lo <= n && n <= hi;
        });
      }
      const from = dateOf(lo as string);
      const to = dateOf(hi as string);
      return fixed((v) => {
        const t = toEpochMs(v);
        return t !== undefined && from <= t && t <= to;
      });
    }
    case 'exists':
      return fixed((v) => v !== undefined && v !== null);
    case 'not_exists':
      return fixed((v) => v === undefined || v === null);
    case 'before':
    case 'after': {
      const at = dateOf(operand as string);
      return fixed((v) => {
        const t = toEpochMs(v);
        return t !== undefined && (op === 'before' ? t < at : t > at);
      });
    }
    case 'within_last': {
      // True on [t, t + d): from the moment the time arrives until d has passed. Written as
      // `now < t + d` (not `now - d < t`) so test and changesAt round identically.
      const d = durationMs(operand as string);
      return {
        test: (v, now) => {
          const t = toEpochMs(v);
          return t !== undefined && t <= now && now < t + d;
        },
        changesAt: (v, now) => {
          const t = toEpochMs(v);
          if (t === undefined) return null;
          if (now < t) return t;
          return now < t + d ? t + d : null;
        },
      };
    }
    case 'more_than_ago': {
      // True on [t + d, ∞): the complement of within_last among past times.
      const d = durationMs(operand as string);
      return {
        test: (v, now) => {
          const t = toEpochMs(v);
          return t !== undefined && t + d <= now;
        },
        changesAt: (v, now) => {
          const t = toEpochMs(v);
          return t !== undefined && now < t + d ? t + d : null;
        },
      };
    }
    case 'anniversary_within': {
      const days = operand as number;
      return {
        test: (v, now) => {
          const t = toEpochMs(v);
          return t !== undefined && isAnniversaryWithin(t, days, now);
        },
        changesAt: (v, now) => {
          const t = toEpochMs(v);
          return t === undefined ? null : anniversaryChangesAt(t, days, now);
        },
      };
    }
  }
}

function compare(op: 'gt' | 'gte' | 'lt' | 'lte', bound: number): (v: unknown) => boolean {
  switch (op) {
    case 'gt':
      return (v) => {
        const n = toNumber(v);
        return n !== undefined && n > bound;
      };
    case 'gte':
      return (v) => {
        const n = toNumber(v);
        return n !== undefined && n >= bound;
      };
    case 'lt':
      return (v) => {
        const n = toNumber(v);
        return n !== undefined && n < bound;
      };
    case 'lte':
      return (v) => {
        const n = toNumber(v);
        return n !== undefined && n <= bound;
      };
  }
}
