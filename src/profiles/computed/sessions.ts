/**
 * Sessions as merged activity intervals. Two activity events belong to the same session when
 * a chain of events links them with no gap longer than SESSION_GAP_MS. The intervals are the
 * connected components of the activity times, so they depend on the set of times only: a
 * late event that falls between two sessions merges them, and the count stays exact in any
 * arrival order. Storage is two numbers per session.
 */
export type Interval = [start: number, end: number];

/** The inactivity that ends a session (the common analytics default). */
export const SESSION_GAP_MS = 30 * 60 * 1000;

/** Index of the first interval whose end + gap reaches `t` (binary search). */
function firstReaching(list: readonly Interval[], t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]![1] + SESSION_GAP_MS < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Adds one interval, merging every session it touches. O(log n + n) for the copy. */
export function addInterval(list: readonly Interval[], add: Interval): Interval[] {
  let [start, end] = add;
  const from = firstReaching(list, start);
  let to = from;
  while (to < list.length && list[to]![0] - SESSION_GAP_MS <= end) {
    start = Math.min(start, list[to]![0]);
    end = Math.max(end, list[to]![1]);
    to++;
  }
  return [...list.slice(0, from), [start, end], ...list.slice(to)];
}

/** Adds one activity time. */
export const addActivity = (list: readonly Interval[], t: number): Interval[] =>
  addInterval(list, [t, t]);

/** The union of two session lists, merged under the same gap rule. O(n + m). */
export function mergeSessions(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const all = [...a, ...b].sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const out: Interval[] = [];
  for (const [s, e] of all) {
    const last = out[out.length - 1];
    if (last && s - last[1] <= SESSION_GAP_MS) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}
