import { pushTo } from '../../shared/index.js';
import type { SubjectEvent } from './types.js';

/**
 * Groups a person's events by name (unnamed events are left out: no condition can match
 * them), keeping their order. Put the result in `Subject.eventsByName` when evaluating
 * many definitions against one person, so each event condition reads only its own name.
 */
export function indexEvents(
  events: readonly SubjectEvent[],
): ReadonlyMap<string, readonly SubjectEvent[]> {
  const byName = new Map<string, SubjectEvent[]>();
  for (const e of events) if (typeof e.event === 'string') pushTo(byName, e.event, e);
  return byName;
}
