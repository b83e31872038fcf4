import type { ErrorDetail } from '../shared/index.js';
import {
  compile,
  dependencies,
  validateSegment,
  type CompiledSegment,
  type SegmentDefinition,
} from '../segments/index.js';

/** Where request context sits among the computed traits the segment evaluator reads. */
export const CONTEXT_KEY = '__context';

/**
 * Eligibility is the segment rule language with one more leaf: `{"context": "device",
 * "eq": "mobile"}` reads the decide call's context. It is rewritten to a computed-trait
 * path so the segment compiler does the rest (as journeys do for `trigger`).
 */
export function rewriteEligibility(condition: unknown): unknown {
  if (Array.isArray(condition)) return condition.map(rewriteEligibility);
  if (typeof condition !== 'object' || condition === null) return condition;
  const obj = condition as Record<string, unknown>;
  if (typeof obj.context === 'string') {
    const { context, ...rest } = obj;
    return { computed: `${CONTEXT_KEY}.${context}`, ...rest };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    Object.defineProperty(out, k, {
      value: k === 'all' || k === 'any' || k === 'not' ? rewriteEligibility(v) : v,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** Problems of an eligibility condition, with paths under `eligibility`. */
export function checkEligibility(
  condition: unknown,
  lookup: (segmentId: string) => SegmentDefinition | undefined,
): ErrorDetail[] {
  const r = validateSegment(
    { name: 'eligibility', definition: rewriteEligibility(condition) },
    { lookup },
  );
  if (r.kind === 'ok') return [];
  return r.details.map((d) => ({
    path: d.path.replace(/^definition/, 'eligibility'),
    problem: d.problem.replace(/__context\./g, 'context '),
  }));
}

/** A compiled eligibility and what it needs loaded about a person. */
export interface CompiledEligibility {
  run: CompiledSegment;
  /** Event names whose history it reads (empty: no event loading). */
  events: string[];
  segments: boolean;
}

export function compileEligibility(condition: unknown): CompiledEligibility {
  // Validated when stored; a definition rejected by compile is a bug, not bad data.
  const def = rewriteEligibility(condition) as SegmentDefinition;
  const deps = dependencies(def);
  return { run: compile(def), events: deps.events, segments: deps.segments.length > 0 };
}
