import type { JourneyDefinition } from './definition.js';
import { durationMs } from './duration.js';
import { matchesFilter } from './event-filter.js';
import {
  API_TRIGGER_EVENT,
  DATE_TRIGGER_EVENT,
  SEGMENT_ENTERED,
  SEGMENT_EXITED,
  type JourneyEvent,
} from './journey-event.js';
import { getPath, keyOf } from './paths.js';
import { isEnded, type RunState } from './run-state.js';
import type { CatalogTrigger, Condition } from './triggers.js';

export interface TriggerMatch {
  /** The entry key (cart id, product id, occurrence date) or null for unkeyed triggers. */
  key: string | null;
  /**
   * Conditions the person must also meet to enter, evaluated by the shell with
   * `evaluateCondition` (the trigger's `condition`; for catalog triggers, the interest
   * in the item). Empty when there is nothing more to check.
   */
  conditions: Condition[];
}

/**
 * The segment-language condition "did one of the interest events on this item within
 * the window", e.g. `{ any: [{ event: 'Product Viewed', where: { 'properties.product_id':
 * { eq: 'sku-1' } }, within: 'P30D' }] }`.
 */
export function interestCondition(trigger: CatalogTrigger, itemId: string): Condition {
  return {
    any: trigger.interest.events.map((event) => ({
      event,
      where: { [trigger.interest.path]: { eq: itemId } },
      within: trigger.interest.within,
    })),
  };
}

/**
 * Whether an event starts this journey, and with which key. Event and catalog triggers
 * match on the event name and `where` filters; a keyed trigger does not match an event
 * without a key. Segment triggers match `Segment Entered`/`Segment Exited` with
 * `properties.segment_id`; date and API triggers match the events the shell synthesizes
 * (`dateTriggerEvent`, `API_TRIGGER_EVENT`).
 *
 * @example matchTrigger(cartJourney, { event: 'Product Added', timestamp, properties: { cart_id: 'c1' } })
 *   // { key: 'c1', conditions: [] }
 */
export function matchTrigger(def: JourneyDefinition, event: JourneyEvent): TriggerMatch | null {
  const t = def.trigger;
  const conditions: Condition[] = t.condition === undefined ? [] : [t.condition];
  const keyAt = (path: string | undefined): string | null | undefined => {
    if (path === undefined) return null;
    return keyOf(getPath(event, path)) ?? undefined;
  };
  switch (t.type) {
    case 'event': {
      if (event.event !== t.event || !matchesFilter(event, t.where)) return null;
      const key = keyAt(t.key);
      return key === undefined ? null : { key, conditions };
    }
    case 'catalog': {
      if (event.event !== t.event || !matchesFilter(event, t.where)) return null;
      const key = keyAt(t.key);
      if (key === undefined || key === null) return null;
      return { key, conditions: [interestCondition(t, key), ...conditions] };
    }
    case 'segment': {
      const name = t.on === 'entered' ? SEGMENT_ENTERED : SEGMENT_EXITED;
      if (event.event !== name || keyOf(getPath(event, 'properties.segment_id')) !== t.segmentId)
        return null;
      return { key: null, conditions };
    }
    case 'date': {
      if (event.event !== DATE_TRIGGER_EVENT || getPath(event, 'properties.trait') !== t.trait)
        return null;
      const key = keyOf(getPath(event, 'properties.date'));
      return key === null ? null : { key, conditions };
    }
    case 'api': {
      if (event.event !== API_TRIGGER_EVENT) return null;
      const journeyId = getPath(event, 'properties.journey_id');
      if (journeyId !== undefined && journeyId !== def.id) return null;
      const key = keyAt(t.key);
      return key === undefined ? null : { key, conditions };
    }
  }
}

/** What `canEnter` needs to know of a person's earlier runs of the journey (any version). */
export type PreviousRun = Pick<RunState, 'key' | 'status' | 'enteredAt'>;

/**
 * The re-entry policy. Earlier runs count when they share the key (scope `key`) or
 * always (scope `profile`). An unfinished run in scope always blocks entry: events for
 * it go to that run. Then `never` admits only a first run, `always` admits every time,
 * and `after` admits once the duration has passed since the latest entry in scope.
 *
 * @example canEnter(def, [{ key: 'c1', status: 'converted', enteredAt: t0 }], 'c2', now) // true per key
 */
export function canEnter(
  def: JourneyDefinition,
  previousRuns: readonly PreviousRun[],
  key: string | null,
  now: number,
): boolean {
  const { policy, scope, after } = def.reentry;
  let latest = -Infinity;
  let any = false;
  for (const run of previousRuns) {
    if (scope === 'key' && run.key !== key) continue;
    if (!isEnded(run.status)) return false;
    any = true;
    latest = Math.max(latest, run.enteredAt);
  }
  if (!any || policy === 'always') return true;
  if (policy === 'never') return false;
  return now - latest >= durationMs(after!);
}
