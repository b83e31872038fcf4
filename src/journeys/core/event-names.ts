import type { JourneyDefinition } from './definition.js';
import {
  API_TRIGGER_EVENT,
  DATE_TRIGGER_EVENT,
  SEGMENT_ENTERED,
  SEGMENT_EXITED,
} from './journey-event.js';

/**
 * The event names that can start a run of this journey: the shell indexes active
 * journeys by them and offers an event only to journeys that list its name.
 */
export function entryEventNames(def: JourneyDefinition): string[] {
  const t = def.trigger;
  switch (t.type) {
    case 'event':
    case 'catalog':
      return [t.event];
    case 'segment':
      return [t.on === 'entered' ? SEGMENT_ENTERED : SEGMENT_EXITED];
    case 'date':
      return [DATE_TRIGGER_EVENT];
    case 'api':
      return [API_TRIGGER_EVENT];
  }
}

/**
 * The event names that can change an unfinished run: the goal, the exit rules, the event
 * waits and the item-tracking events. Any other event leaves every run unchanged, so the
 * shell need not load runs for it.
 */
export function runEventNames(def: JourneyDefinition): string[] {
  const names = new Set<string>();
  if (def.goal) names.add(def.goal.event);
  for (const m of def.exitOn) names.add(m.event);
  for (const s of def.steps) if (s.type === 'wait' && s.event) names.add(s.event.event);
  const t = def.trigger;
  if (def.items) {
    for (const n of def.items.addOn ??
      (t.type === 'event' || t.type === 'catalog' ? [t.event] : [])) {
      names.add(n);
    }
    for (const n of def.items.removeOn) names.add(n);
  } else if (t.type === 'event' && t.key !== undefined) {
    names.add(t.event);
  }
  return [...names];
}
