/** One day in milliseconds: durations and anniversaries count days of exactly 24 hours (UTC). */
export const DAY_MS = 86_400_000;

/**
 * Limits on a definition. They keep validation and evaluation cheap and bounded, so a
 * hostile or accidental definition cannot exhaust the server: the size check runs
 * first, iteratively, before anything recursive looks at the input.
 */
export const SEGMENT_LIMITS = {
  /** Conditions on the longest path from the root to a leaf (all/any/not add a level). */
  maxDepth: 20,
  /** Conditions in one definition, combinators included. */
  maxConditions: 200,
  /** Values in an `in` / `not_in` list. */
  maxListValues: 1000,
  /** Entries in one event condition's `where`. */
  maxWhereEntries: 32,
  /** Characters in an operand string, an event name or a segment id. */
  maxTextLength: 1024,
  /** Characters in a dotted path. */
  maxPathLength: 256,
  /** Characters in a segment's name. */
  maxNameLength: 200,
  /** The longest duration: 100 years of days. */
  maxDurationMs: 36_525 * DAY_MS,
  /** `anniversary_within` looks at most a year ahead. */
  maxAnniversaryDays: 365,
} as const;
