import type { IssuePath } from './check-definition.js';
import type { SegmentDefinition } from './types.js';

/** A computed trait or an event a definition names, with where it names it. */
export interface NamedUse {
  kind: 'computed' | 'event';
  name: string;
  /** The path of the name itself, relative to the definition (`all.0.event`). */
  path: IssuePath;
}

/** Every `{"computed": path}` and `{"event": name}` of a definition, in reading order. */
export function namedUses(definition: SegmentDefinition): NamedUse[] {
  const out: NamedUse[] = [];
  const visit = (node: SegmentDefinition, path: IssuePath): void => {
    if ('computed' in node)
      out.push({ kind: 'computed', name: node.computed, path: [...path, 'computed'] });
    else if ('event' in node)
      out.push({ kind: 'event', name: node.event, path: [...path, 'event'] });
    else if ('all' in node) node.all.forEach((c, i) => visit(c, [...path, 'all', i]));
    else if ('any' in node) node.any.forEach((c, i) => visit(c, [...path, 'any', i]));
    else if ('not' in node) visit(node.not, [...path, 'not']);
  };
  visit(definition, []);
  return out;
}
