import type { ErrorDetail } from '../../shared/index.js';
import { zodDetails } from '../../shared/index.js';
import { segmentReferences } from './references.js';
import { CreateSegment, SegmentDefinition } from './schema.js';

export interface ValidateOptions {
  /** The id of the segment being saved, when it has one (an update); finds cycles through it. */
  selfId?: string;
  /** The stored definition of another segment, or undefined when no such segment exists. */
  lookup: (id: string) => SegmentDefinition | undefined;
}

export type ValidateResult =
  { kind: 'ok'; value: CreateSegment } | { kind: 'invalid'; details: ErrorDetail[] };

/**
 * Validates a `{name, definition}` body: its shape and limits, then every segment it
 * refers to: each must exist, and none may lead back to the segment itself (directly,
 * or through the segments it refers to), since membership of a cycle has no answer.
 * Each problem comes with its dotted path, e.g. `definition.all.1.segment`.
 *
 * @example
 * const result = validateSegment(body, { selfId: 'seg_a', lookup: (id) => cache.get(id) });
 * if (result.kind !== 'ok') throw new ValidationError('Invalid segment', result.details);
 */
export function validateSegment(input: unknown, options: ValidateOptions): ValidateResult {
  const parsed = CreateSegment.safeParse(input);
  const details: ErrorDetail[] = parsed.success ? [] : zodDetails(parsed.error);
  // References are checked whenever the definition itself is sound, so a bad name does
  // not hide a cycle.
  const definition = parsed.success
    ? parsed.data.definition
    : typeof input !== 'object' ||
        input === null ||
        parsed.error.issues.some((issue) => issue.path[0] === 'definition')
      ? undefined
      : SegmentDefinition.safeParse((input as { definition?: unknown }).definition).data;
  const { selfId, lookup } = options;
  const edges = new Map<string, string[]>();
  const referencesOf = (id: string): string[] => {
    let out = edges.get(id);
    if (out === undefined) {
      const definition = lookup(id);
      out = definition ? [...new Set(segmentReferences(definition).map((r) => r.id))] : [];
      edges.set(id, out);
    }
    return out;
  };
  for (const ref of definition ? segmentReferences(definition) : []) {
    const path = ['definition', ...ref.path].join('.');
    if (ref.id === selfId) {
      details.push({ path, problem: `refers to this segment itself ("${ref.id}")` });
    } else if (lookup(ref.id) === undefined) {
      details.push({ path, problem: `refers to an unknown segment "${ref.id}"` });
    } else if (selfId !== undefined) {
      const route = routeTo(ref.id, selfId, referencesOf);
      if (route) {
        details.push({
          path,
          problem: `makes a cycle: ${[selfId, ...route].map((id) => `"${id}"`).join(' → ')}`,
        });
      }
    }
  }
  return parsed.success && details.length === 0
    ? { kind: 'ok', value: parsed.data }
    : { kind: 'invalid', details };
}

/** The shortest chain of references from `from` to `to` (both included), or null. */
function routeTo(
  from: string,
  to: string,
  referencesOf: (id: string) => string[],
): string[] | null {
  const cameFrom = new Map<string, string | null>([[from, null]]);
  const queue = [from];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    if (id === to) {
      const route: string[] = [];
      for (let at: string | null = id; at !== null; at = cameFrom.get(at) ?? null) route.push(at);
      return route.reverse();
    }
    for (const next of referencesOf(id)) {
      if (!cameFrom.has(next)) {
        cameFrom.set(next, id);
        queue.push(next);
      }
    }
  }
  return null;
}
