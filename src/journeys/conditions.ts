import type { ErrorDetail } from '../shared/index.js';
import {
  compile,
  dependencies,
  validateSegment,
  type CompiledSegment,
  type SegmentDefinition,
  type Subject,
} from '../segments/index.js';
import type { Condition, ConditionContext } from './core/index.js';

/**
 * Journey conditions are the segment rule language, plus two leaves that read the run:
 * `{"trigger": "properties.total", "gt": 100}` (the event that started the run) and
 * `{"event": ...}` keeps its segment meaning (the person's history), while
 * `{"current": "properties.x", ...}` reads the event being handled now. They are rewritten
 * to computed-trait paths (`__trigger.*`, `__current.*`) so the segment compiler does the
 * rest.
 */
export function rewriteCondition(condition: unknown): unknown {
  if (Array.isArray(condition)) return condition.map(rewriteCondition);
  if (typeof condition !== 'object' || condition === null) return condition;
  const obj = condition as Record<string, unknown>;
  if (typeof obj.trigger === 'string' || typeof obj.current === 'string') {
    const { trigger, current, ...rest } = obj;
    const path =
      typeof trigger === 'string' ? `__trigger.${trigger}` : `__current.${String(current)}`;
    return { computed: path, ...rest };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    Object.defineProperty(out, k, {
      value: k === 'all' || k === 'any' || k === 'not' ? rewriteCondition(v) : v,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** Validates a condition in a workspace; problems have paths relative to the condition. */
export function conditionValidator(
  lookup: (segmentId: string) => SegmentDefinition | undefined,
): (condition: Condition) => ErrorDetail[] {
  return (condition) => {
    const r = validateSegment(
      { name: 'condition', definition: rewriteCondition(condition) },
      { lookup },
    );
    if (r.kind === 'ok') return [];
    return r.details.map((d) => ({
      path: d.path.replace(/^definition\.?/, ''),
      problem: d.problem.replace(/__(trigger|current)\./g, '$1 '),
    }));
  };
}

/** Compiles conditions once per distinct JSON. */
export class ConditionCache {
  private readonly cache = new Map<
    string,
    { run: CompiledSegment; events: string[]; lookbackMs: number | null }
  >();

  get(condition: Condition): { run: CompiledSegment; events: string[]; lookbackMs: number | null } {
    const key = JSON.stringify(condition);
    let hit = this.cache.get(key);
    if (!hit) {
      const def = rewriteCondition(condition) as SegmentDefinition;
      const deps = dependencies(def);
      hit = { run: compile(def), events: deps.events, lookbackMs: deps.maxLookbackMs };
      if (this.cache.size > 5000) this.cache.clear();
      this.cache.set(key, hit);
    }
    return hit;
  }
}

/**
 * The evaluator `advance` needs: conditions see the person's traits, computed traits,
 * segment memberships and (loaded by the caller) the events their event leaves name, plus
 * the run's trigger and current event.
 */
export function evaluator(
  cache: ConditionCache,
  base: Omit<Subject, 'computed'> & { computed: Record<string, unknown> },
): (condition: Condition, ctx: ConditionContext) => boolean {
  return (condition, ctx) => {
    const { run } = cache.get(condition);
    const subject: Subject = {
      ...base,
      computed: { ...base.computed, __trigger: ctx.trigger, __current: ctx.event ?? {} },
    };
    return run(subject, ctx.now);
  };
}
