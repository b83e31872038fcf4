import { conditionOf } from './condition.js';
import { durationMs } from './duration.js';
import { onlyOperator } from './event-condition.js';
import type { SegmentDefinition } from './types.js';

export interface Dependencies {
  /** Trait paths read, as written (`plan`, `address.city`). */
  traits: string[];
  /** Computed-trait paths read (`order_count`, `rfm.code`). */
  computed: string[];
  /** Names of the events read. */
  events: string[];
  /** Ids of the segments whose membership is read. */
  segments: string[];
  /**
   * Whether membership can change with the passing of time alone, so the shell must ask
   * `nextCheckAt`: true with any event condition (a window moves, and a future-dated
   * event counts once its time comes) or any within_last / more_than_ago /
   * anniversary_within test.
   */
  timeBased: boolean;
  /**
   * How far back events are read: load events with timestamp > now − maxLookbackMs
   * (and every future-dated one). Null when all history is needed (an event condition
   * without `within`, or with first/last); 0 when no events are read.
   */
  maxLookbackMs: number | null;
}

const RELATIVE = new Set(['within_last', 'more_than_ago', 'anniversary_within']);

/**
 * What a (validated) definition reads, so the shell can index facts -> segments and
 * load only the events a definition needs. Lists are sorted and without duplicates.
 *
 * @example
 * dependencies({ all: [{ trait: 'plan', eq: 'pro' }, { event: 'Order Completed', within: 'P30D' }] });
 * // { traits: ['plan'], computed: [], events: ['Order Completed'], segments: [],
 * //   timeBased: true, maxLookbackMs: 2592000000 }
 */
export function dependencies(definition: SegmentDefinition): Dependencies {
  const traits = new Set<string>();
  const computed = new Set<string>();
  const events = new Set<string>();
  const segments = new Set<string>();
  let timeBased = false;
  let lookback: number | null = 0;
  const visit = (node: SegmentDefinition): void => {
    const c = conditionOf(node);
    switch (c.kind) {
      case 'trait':
      case 'computed':
        (c.kind === 'trait' ? traits : computed).add(c.path);
        if (RELATIVE.has(onlyOperator(c.node, c.kind)[0])) timeBased = true;
        break;
      case 'event': {
        const e = c.node;
        events.add(e.event);
        timeBased = true;
        const reach = e.within === undefined || e.first || e.last ? null : durationMs(e.within);
        lookback = reach === null || lookback === null ? null : Math.max(lookback, reach);
        break;
      }
      case 'segment':
        segments.add(c.node.segment);
        break;
      case 'all':
        c.node.all.forEach(visit);
        break;
      case 'any':
        c.node.any.forEach(visit);
        break;
      case 'not':
        visit(c.node.not);
        break;
    }
  };
  visit(definition);
  const sorted = (set: Set<string>) => [...set].sort();
  return {
    traits: sorted(traits),
    computed: sorted(computed),
    events: sorted(events),
    segments: sorted(segments),
    timeBased,
    maxLookbackMs: lookback,
  };
}
