import type { Recommender } from './recommender.js';
import type { Interaction } from './schemas.js';

/**
 * The held-out truth of a temporal split: for each person in both sets, the items in
 * `test` they had not interacted with in `train` (recommending what someone already
 * has is excluded, so it could never be a hit).
 */
export function heldOutTruth(
  train: readonly Interaction[],
  test: readonly Interaction[],
): Map<string, Set<string>> {
  const had = new Map<string, Set<string>>();
  for (const x of train) {
    let s = had.get(x.userId);
    if (!s) had.set(x.userId, (s = new Set()));
    s.add(x.itemId);
  }
  const truth = new Map<string, Set<string>>();
  for (const x of test) {
    const before = had.get(x.userId);
    if (!before || before.has(x.itemId)) continue;
    let s = truth.get(x.userId);
    if (!s) truth.set(x.userId, (s = new Set()));
    s.add(x.itemId);
  }
  return truth;
}

/** Distinct people per item: the popularity that popularity bias is measured against. */
export function itemPopularity(interactions: readonly Interaction[]): Map<string, number> {
  const people = new Map<string, Set<string>>();
  for (const x of interactions) {
    let s = people.get(x.itemId);
    if (!s) people.set(x.itemId, (s = new Set()));
    s.add(x.userId);
  }
  return new Map([...people].map(([item, s]) => [item, s.size]));
}

/**
 * Top-k lists for each person from one strategy, excluding everything they interacted
 * with before (`excludeSeen`), filled from popularity when the strategy runs short.
 */
export function recommendAll(
  recommender: Recommender,
  users: Iterable<string>,
  strategy: string,
  k: number,
  now: number,
  onProgress?: (done: number) => void,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const userId of users) {
    const res = recommender.recommend({ userId, strategy, limit: k, excludeSeen: true }, now);
    out.set(
      userId,
      res.items.map((i) => i.itemId),
    );
    onProgress?.(out.size);
  }
  return out;
}
