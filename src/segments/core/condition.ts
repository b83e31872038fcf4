import type {
  AllCondition,
  AnyCondition,
  ComputedCondition,
  EventCondition,
  NotCondition,
  SegmentCondition,
  SegmentDefinition,
  TraitCondition,
} from './types.js';

/** A condition with its kind: what the walkers over a definition switch on, typed. */
export type KindedCondition =
  | { kind: 'trait'; path: string; node: TraitCondition }
  | { kind: 'computed'; path: string; node: ComputedCondition }
  | { kind: 'event'; node: EventCondition }
  | { kind: 'segment'; node: SegmentCondition }
  | { kind: 'all'; node: AllCondition }
  | { kind: 'any'; node: AnyCondition }
  | { kind: 'not'; node: NotCondition };

/**
 * The kind of a validated condition, told by the one kind key it holds (definitions are
 * JSON, so that key is its own), with the condition narrowed to that kind.
 *
 * @example
 * conditionOf({ computed: 'rfm.code', in: ['555'] }); // { kind: 'computed', path: 'rfm.code', node }
 */
export function conditionOf(node: SegmentDefinition): KindedCondition {
  if ('trait' in node) return { kind: 'trait', path: node.trait, node };
  if ('computed' in node) return { kind: 'computed', path: node.computed, node };
  if ('event' in node) return { kind: 'event', node };
  if ('segment' in node) return { kind: 'segment', node };
  if ('all' in node) return { kind: 'all', node };
  if ('any' in node) return { kind: 'any', node };
  return { kind: 'not', node };
}
