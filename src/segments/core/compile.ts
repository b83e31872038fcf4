import { ValidationError } from '../../shared/index.js';
import { combineAll, combineAny } from './analysis.js';
import { checkDefinition } from './check-definition.js';
import { conditionOf } from './condition.js';
import type { CompiledNode } from './compiled-node.js';
import { compileEvent, onlyOperator } from './event-condition.js';
import { compilePath } from './paths.js';
import type { SegmentDefinition, Subject } from './types.js';
import { compileTest } from './value-tests.js';

/** A definition compiled once, to evaluate many people at many times. */
export interface CompiledSegment {
  /** Whether `subject` is a member at `now` (epoch ms). */
  (subject: Subject, now: number): boolean;
  /** See `nextCheckAt`. */
  nextCheckAt(subject: Subject, now: number): number | null;
}

/**
 * Compiles a definition into a closure tree: paths are split, operands parsed and
 * `in` lists turned into sets once, so evaluating a person costs only the lookups and
 * comparisons themselves (O(k) for the k events of the names involved). Throws a
 * ValidationError (with the path of each problem) for an invalid definition: stored
 * definitions are validated on write, so that is a bug, not bad data.
 *
 * @example
 * const isMember = compile({ computed: 'order_count', gte: 3 });
 * isMember(subject, Date.now()); // true or false
 * isMember.nextCheckAt(subject, Date.now()); // null: a count of orders does not age
 */
export function compile(definition: SegmentDefinition): CompiledSegment {
  const issues = checkDefinition(definition);
  if (issues.length > 0) {
    throw new ValidationError(
      'Invalid segment definition',
      issues.map((i) => ({ path: i.path.join('.'), problem: i.problem })),
    );
  }
  const root = compileNode(definition);
  return Object.assign((subject: Subject, now: number) => root.evaluate(subject, now), {
    nextCheckAt: (subject: Subject, now: number) => root.analyze(subject, now).next,
  });
}

/**
 * Whether `subject` belongs to the segment at `now`. Compiles the definition on every
 * call; to evaluate many people, `compile` once and call the result.
 *
 * @example
 * evaluate({ trait: 'plan', eq: 'pro' }, { traits: { plan: 'pro' }, computed: {}, events: [], segments: new Set() }, now); // true
 */
export function evaluate(definition: SegmentDefinition, subject: Subject, now: number): boolean {
  return compile(definition)(subject, now);
}

/**
 * The earliest time after `now` at which membership can change with no new event,
 * trait or membership change: an event leaving a `within` window, a future-dated event
 * arriving, a date trait crossing a within_last / more_than_ago / anniversary boundary.
 * Membership is constant on [now, nextCheckAt); re-evaluate then (and ask again). Null
 * when nothing but new data can change it.
 *
 * @example
 * // viewed once, 2 days ago, with `within: "P7D"`: the view leaves the window in 5 days
 * nextCheckAt({ event: 'Product Viewed', within: 'P7D' }, subject, now); // now + 5 days
 */
export function nextCheckAt(
  definition: SegmentDefinition,
  subject: Subject,
  now: number,
): number | null {
  return compile(definition).nextCheckAt(subject, now);
}

function compileNode(node: SegmentDefinition): CompiledNode {
  const c = conditionOf(node);
  switch (c.kind) {
    case 'trait':
    case 'computed': {
      const source = c.kind === 'trait' ? 'traits' : 'computed';
      const read = compilePath(c.path);
      const test = compileTest(...onlyOperator(c.node, c.kind));
      const valueOf = (s: Subject) => read(s[source]);
      return {
        evaluate: (s, now) => test.test(valueOf(s), now),
        analyze: (s, now) => {
          const value = valueOf(s);
          return { value: test.test(value, now), next: test.changesAt(value, now) };
        },
      };
    }
    case 'event':
      return compileEvent(c.node);
    case 'segment': {
      const id = c.node.segment;
      return {
        evaluate: (s) => s.segments.has(id),
        analyze: (s) => ({ value: s.segments.has(id), next: null }),
      };
    }
    case 'all': {
      const children = c.node.all.map(compileNode);
      return {
        evaluate: (s, now) => {
          for (const c of children) if (!c.evaluate(s, now)) return false;
          return true;
        },
        analyze: (s, now) => combineAll(children.map((c) => c.analyze(s, now))),
      };
    }
    case 'any': {
      const children = c.node.any.map(compileNode);
      return {
        evaluate: (s, now) => {
          for (const c of children) if (c.evaluate(s, now)) return true;
          return false;
        },
        analyze: (s, now) => combineAny(children.map((c) => c.analyze(s, now))),
      };
    }
    case 'not': {
      const child = compileNode(c.node.not);
      return {
        evaluate: (s, now) => !child.evaluate(s, now),
        analyze: (s, now) => {
          const a = child.analyze(s, now);
          return { value: !a.value, next: a.next };
        },
      };
    }
  }
}
