import type { Analysis } from './analysis.js';
import type { CompiledNode } from './compiled-node.js';
import { durationMs } from './duration.js';
import type { OperatorName } from './operators.js';
import { compilePath } from './paths.js';
import type { EventCondition, Subject, SubjectEvent } from './types.js';
import { compileTest, type CompiledTest } from './value-tests.js';

const NO_EVENTS: readonly SubjectEvent[] = [];

/** The only operator of a validated test object, and its operand. */
export function onlyOperator(test: object, skip?: string): [OperatorName, unknown] {
  for (const [key, value] of Object.entries(test)) {
    if (key !== skip) return [key as OperatorName, value];
  }
  throw new Error('a validated test has one operator');
}

const compileOnly = (test: object): CompiledTest => compileTest(...onlyOperator(test));

/** All `where` entries as one predicate, or null when there are none. */
function compileWhere(
  where: Record<string, object> | undefined,
): ((e: SubjectEvent, now: number) => boolean) | null {
  const entries = Object.entries(where ?? {}).map(([path, test]) => {
    const read = compilePath(path);
    const { test: passes } = compileOnly(test);
    return (e: SubjectEvent, now: number) => passes(read(e), now);
  });
  if (entries.length === 0) return null;
  if (entries.length === 1) return entries[0]!;
  return (e, now) => {
    for (let i = 0; i < entries.length; i++) if (!entries[i]!(e, now)) return false;
    return true;
  };
}

/** Index of the first element of sorted `ts` for which `before` is false. */
function partition(ts: readonly number[], before: (t: number) => boolean): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(ts[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Compiles an event condition. Matching events are those named `event` whose `where`
 * entries all pass, with a finite timestamp no later than now (a future-dated event
 * counts from its own time on). Evaluation is one pass over the person's events of
 * that name: O(k) for k such events.
 */
export function compileEvent(condition: EventCondition): CompiledNode {
  const name = condition.event;
  const where = compileWhere(condition.where);
  const windowMs = condition.within === undefined ? null : durationMs(condition.within);
  const [countOp, countOperand] = onlyOperator(condition.count ?? { gte: 1 });
  const count = compileTest(countOp, countOperand);
  const first = condition.first ? compileOnly(condition.first) : null;
  const last = condition.last ? compileOnly(condition.last) : null;
  // gte/gt stay true once reached, so counting can stop there (when nothing else needs
  // the remaining events).
  const enough =
    first || last
      ? Infinity
      : countOp === 'gte'
        ? (countOperand as number)
        : countOp === 'gt'
          ? (countOperand as number) + 1
          : Infinity;

  const matches = (e: SubjectEvent, now: number): boolean =>
    e.event === name && (where === null || where(e, now));
  const eventsOf = (s: Subject): readonly SubjectEvent[] =>
    s.eventsByName ? (s.eventsByName.get(name) ?? NO_EVENTS) : s.events;
  const w = windowMs ?? Infinity;

  const evaluate = (s: Subject, now: number): boolean => {
    const events = eventsOf(s);
    let n = 0;
    let firstAt = Infinity;
    let lastAt = -Infinity;
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      if (e.event !== name) continue;
      const t = e.timestamp;
      if (!(Number.isFinite(t) && t <= now) || (where !== null && !where(e, now))) continue;
      if (now < t + w && ++n >= enough) return true;
      if (t < firstAt) firstAt = t;
      if (t > lastAt) lastAt = t;
    }
    return (
      count.test(n, now) &&
      (first === null || (firstAt !== Infinity && first.test(firstAt, now))) &&
      (last === null || (lastAt !== -Infinity && last.test(lastAt, now)))
    );
  };

  const analyze = (s: Subject, now: number): Analysis => {
    // Every matching time, past and future: `where` does not depend on the time, so
    // the set is fixed and only which of them count moves with `now`.
    const ts: number[] = [];
    for (const e of eventsOf(s)) {
      if (Number.isFinite(e.timestamp) && matches(e, now)) ts.push(e.timestamp);
    }
    ts.sort((a, b) => a - b);
    const valueAt = (t: number): boolean => {
      const past = partition(ts, (x) => x <= t);
      const n = past - (windowMs === null ? 0 : partition(ts, (x) => x + windowMs <= t));
      return (
        count.test(n, t) &&
        (first === null || (past > 0 && first.test(ts[0], t))) &&
        (last === null || (past > 0 && last.test(ts[past - 1], t)))
      );
    };
    // The value can only change when an event's time arrives (T), when it leaves the
    // window (T + within), or when first/last's own test flips for a time T (e.g.
    // T + d for within_last: d). Walk those moments in order until it does.
    const moments: number[] = [];
    const add = (t: number) => {
      if (t > now) moments.push(t);
    };
    for (const t of ts) {
      add(t);
      if (windowMs !== null) add(t + windowMs);
      for (const test of [first, last]) {
        for (let c = test?.changesAt(t, now) ?? null; c !== null; c = test!.changesAt(t, c)) add(c);
      }
    }
    moments.sort((a, b) => a - b);
    const value = valueAt(now);
    for (const t of moments) if (valueAt(t) !== value) return { value, next: t };
    return { value, next: null };
  };

  return { evaluate, analyze };
}
