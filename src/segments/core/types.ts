import type { Scalar } from './values.js';

export type { Scalar };

/**
 * One operator and its operand. A trait condition, a `where` entry, `count`, `first` and
 * `last` each hold exactly one; which operators each place accepts is in operators.ts.
 */
export type ValueTest =
  | { eq: Scalar }
  | { neq: Scalar }
  | { in: Scalar[] }
  | { not_in: Scalar[] }
  | { contains: Scalar }
  | { starts_with: string }
  | { gt: number }
  | { gte: number }
  | { lt: number }
  | { lte: number }
  /** Inclusive; two numbers, or two ISO 8601 dates. */
  | { between: [number, number] | [string, string] }
  | { exists: true }
  | { not_exists: true }
  /** ISO 8601 date or date-time. */
  | { before: string }
  | { after: string }
  /** ISO 8601 duration. */
  | { within_last: string }
  | { more_than_ago: string }
  /** Days, 0-365. */
  | { anniversary_within: number };

/** The operators `count` accepts: numeric comparisons of the number of matching events. */
export type CountTest =
  | { eq: number }
  | { neq: number }
  | { gt: number }
  | { gte: number }
  | { lt: number }
  | { lte: number }
  | { between: [number, number] };

/** The operators `first` and `last` accept: tests on the time of an event. */
export type TimeTest =
  | { before: string }
  | { after: string }
  | { between: [string, string] }
  | { within_last: string }
  | { more_than_ago: string };

/** A stated trait, by dotted path into the profile's traits: `{"trait": "plan", "eq": "pro"}`. */
export type TraitCondition = { trait: string } & ValueTest;

/** A computed trait, by dotted path: `{"computed": "rfm.code", "in": ["555", "554"]}`. */
export type ComputedCondition = { computed: string } & ValueTest;

/**
 * Events named `event` (the track name, or the page/screen name) whose `where` entries
 * all hold are the matching events. `count` (default `{gte: 1}`) tests how many of them
 * happened within the last `within` (all time without it); `first` and `last` test the
 * times of the earliest and latest of them.
 */
export interface EventCondition {
  event: string;
  /** Dotted path into the event (`properties.category`, `context.page.path`, `type`) -> test. */
  where?: Record<string, ValueTest>;
  count?: CountTest;
  /** ISO 8601 duration; counts events with `now − within < timestamp ≤ now`. */
  within?: string;
  first?: TimeTest;
  last?: TimeTest;
}

/** Membership of another segment, by id. */
export interface SegmentCondition {
  segment: string;
}

export interface AllCondition {
  all: SegmentDefinition[];
}
export interface AnyCondition {
  any: SegmentDefinition[];
}
export interface NotCondition {
  not: SegmentDefinition;
}

/** A segment's rule: one condition, usually an `all`/`any`/`not` tree of them. */
export type SegmentDefinition =
  | TraitCondition
  | ComputedCondition
  | EventCondition
  | SegmentCondition
  | AllCondition
  | AnyCondition
  | NotCondition;

/** One event of the person being evaluated, as the shell loads it from the log. */
export interface SubjectEvent {
  type: string;
  /** The track event's name, or the page/screen name; null for unnamed pages. */
  event: string | null;
  /** Epoch milliseconds. */
  timestamp: number;
  properties: Record<string, unknown>;
  context?: Record<string, unknown>;
}

/** Everything a definition can look at for one person. */
export interface Subject {
  traits: Record<string, unknown>;
  computed: Record<string, unknown>;
  /** In timestamp order (the evaluator does not rely on it, but the log yields it). */
  events: readonly SubjectEvent[];
  /** Ids of the segments the person currently belongs to. */
  segments: ReadonlySet<string>;
  /**
   * Optional: `events` grouped by name (see `indexEvents`). When present, an event
   * condition reads only its own name's list instead of scanning every event; pass it
   * when evaluating many definitions against one person.
   */
  eventsByName?: ReadonlyMap<string, readonly SubjectEvent[]>;
}
