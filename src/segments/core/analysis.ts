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

/**
 * The first time after `now` at which a piecewise-constant `valueAt` differs from its
 * value at `now`, given `candidateAfter(t)`: a time after t no later than the next
 * possible change (null: none). After `limit` candidates that changed nothing it answers
 * the last one, which is still a time before which nothing changed.
 */
export function nextChange(
  valueAt: (t: number) => boolean,
  candidateAfter: (t: number) => number | null,
  now: number,
  limit: number,
): number | null {
  const initial = valueAt(now);
  let t = now;
  for (let i = 0; i < limit; i++) {
    const candidate = candidateAfter(t);
    if (candidate === null || !(candidate > t)) return null;
    if (valueAt(candidate) !== initial) return candidate;
    t = candidate;
  }
  return t > now ? t : null;
}
