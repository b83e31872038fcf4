import { isStoreUnavailable } from '../store/index.js';

export interface BatchResult {
  events: number;
  profiles: number;
  merges: number;
}

/** Tries an event gets, alone in its transaction, before it is quarantined. */
export const MAX_ATTEMPTS = 3;

export interface Settling {
  /** Processes exactly these pending events in one transaction (throws if it fails). */
  attempt(ids: readonly number[]): Promise<BatchResult>;
  /** Sets an event that keeps failing aside with its last error. */
  quarantine(eventId: number, error: unknown): Promise<void>;
}

/**
 * Processes a failed batch's events by halves, so good events commit in few transactions
 * and each one that fails alone is found in O(log n) attempts; such an event gets
 * {@link MAX_ATTEMPTS} tries in all, then the quarantine. An error that says the store
 * itself is unavailable is never blamed on an event: it propagates, and the caller's loop
 * backs off.
 */
export async function settleBatch(ids: readonly number[], how: Settling): Promise<BatchResult> {
  const total: BatchResult = { events: 0, profiles: 0, merges: 0 };
  const add = (r: BatchResult) => {
    total.events += r.events;
    total.profiles += r.profiles;
    total.merges += r.merges;
  };
  const visit = async (part: readonly number[]): Promise<void> => {
    try {
      add(await how.attempt(part));
    } catch (error) {
      if (isStoreUnavailable(error)) throw error;
      if (part.length === 1) {
        add(await retryOrQuarantine(part[0]!, error, how));
        return;
      }
      const mid = part.length >> 1;
      await visit(part.slice(0, mid));
      await visit(part.slice(mid));
    }
  };
  await visit(ids);
  return total;
}

async function retryOrQuarantine(
  eventId: number,
  first: unknown,
  how: Settling,
): Promise<BatchResult> {
  let error = first;
  for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
    try {
      return await how.attempt([eventId]);
    } catch (next) {
      if (isStoreUnavailable(next)) throw next;
      error = next;
    }
  }
  await how.quarantine(eventId, error);
  // It counts as handled: the caller's loop goes on to the next events.
  return { events: 1, profiles: 0, merges: 0 };
}
