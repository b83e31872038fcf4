import type { IssuePath } from './check-definition.js';
import type { SegmentDefinition } from './types.js';

export interface SegmentReference {
  id: string;
  /** Where the reference occurs, relative to the definition. */
  path: IssuePath;
}

/** Every `{"segment": id}` in a definition, in reading order, with its path. */
export function segmentReferences(definition: SegmentDefinition): SegmentReference[] {
  const out: SegmentReference[] = [];
  const visit = (node: SegmentDefinition, path: IssuePath): void => {
    if ('segment' in node) out.push({ id: node.segment, path: [...path, 'segment'] });
    else if ('all' in node) node.all.forEach((c, i) => visit(c, [...path, 'all', i]));
    else if ('any' in node) node.any.forEach((c, i) => visit(c, [...path, 'any', i]));
    else if ('not' in node) visit(node.not, [...path, 'not']);
  };
  visit(definition, []);
  return out;
}

/**
 * Segment ids ordered so that every segment comes after the segments it refers to: the
 * order in which to evaluate memberships for one person (or to recompute), since a
 * `{"segment": id}` condition reads the membership computed before it. References to
 * ids not in `definitions` are ignored. Definitions are validated to be acyclic on
 * write, so a cycle here is a broken invariant and throws.
 *
 * @example
 * orderByReferences(new Map([['a', { segment: 'b' }], ['b', { trait: 'plan', eq: 'pro' }]]));
 * // ['b', 'a']
 */
export function orderByReferences(definitions: ReadonlyMap<string, SegmentDefinition>): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, from: string[]): void => {
    const seen = state.get(id);
    if (seen === 'done') return;
    if (seen === 'visiting')
      throw new Error(`segment references form a cycle: ${[...from, id].join(' → ')}`);
    state.set(id, 'visiting');
    for (const ref of segmentReferences(definitions.get(id)!)) {
      if (definitions.has(ref.id)) visit(ref.id, [...from, id]);
    }
    state.set(id, 'done');
    order.push(id);
  };
  for (const id of definitions.keys()) visit(id, []);
  return order;
}
