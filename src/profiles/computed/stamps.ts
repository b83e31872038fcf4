/**
 * Last-writer-wins by event time, not arrival: the register with the greater timestamp
 * wins and equal timestamps are broken by the greater messageId, so the winner is a
 * function of the set of writes alone (max is commutative, associative and idempotent).
 */
export interface Stamp {
  at: number;
  m: string;
}

/** True when `a` was written after `b`. */
export const isLater = (a: Stamp, b: Stamp): boolean => a.at > b.at || (a.at === b.at && a.m > b.m);

/** The later of two registers (null is "never written"). */
export function later<T extends Stamp>(a: T | null, b: T | null): T | null {
  if (a === null) return b;
  if (b === null) return a;
  return isLater(b, a) ? b : a;
}

/** The earlier of two registers (for first-touch facts). */
export function earlier<T extends Stamp>(a: T | null, b: T | null): T | null {
  if (a === null) return b;
  if (b === null) return a;
  return isLater(a, b) ? b : a;
}
