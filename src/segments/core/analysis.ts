/**
 * A condition's value at `now`, and the first later time at which it may change with
 * no new data (null: never). For leaves the time is exact: the value does change then.
 */
export interface Analysis {
  value: boolean;
  next: number | null;
}

const earliest = (times: (number | null)[]): number | null => {
  let best: number | null = null;
  for (const t of times) if (t !== null && (best === null || t < best)) best = t;
  return best;
};

/**
 * `all`: while true, it turns false as soon as any child does (the earliest child change,
 * exact). While false, it cannot turn true before every false child has changed, so the
 * latest of their changes is a safe time to look again; a false child that never changes
 * keeps it false forever.
 */
export function combineAll(parts: readonly Analysis[]): Analysis {
  const falses = parts.filter((p) => !p.value);
  if (falses.length === 0) return { value: true, next: earliest(parts.map((p) => p.next)) };
  let latest = -Infinity;
  for (const p of falses) {
    if (p.next === null) return { value: false, next: null };
    latest = Math.max(latest, p.next);
  }
  return { value: false, next: latest };
}

/** `any`: the dual of `all`. */
export function combineAny(parts: readonly Analysis[]): Analysis {
  const negated = combineAll(parts.map((p) => ({ value: !p.value, next: p.next })));
  return { value: !negated.value, next: negated.next };
}
