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
