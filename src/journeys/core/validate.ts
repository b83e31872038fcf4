import type { ErrorDetail } from '../../shared/index.js';
import { zodDetails } from '../../shared/index.js';
import { JourneyDefinition } from './definition.js';
import { graphProblems } from './graph.js';
import type { Condition } from './triggers.js';

/** Serialized definitions above this are refused before parsing anything else. */
export const MAX_DEFINITION_BYTES = 512 * 1024;

export interface ValidateOptions {
  /**
   * Checks one opaque condition (branch cases, trigger conditions) in the environment's
   * language; returns its problems with paths relative to the condition. When absent,
   * any JSON value is accepted.
   */
  validateCondition?: (condition: Condition) => ErrorDetail[];
}

export type ValidationResult =
  { kind: 'ok'; value: JourneyDefinition } | { kind: 'invalid'; details: ErrorDetail[] };

/** Whether the trigger gives every run a key that waits, goals and exits can match on. */
export function triggerHasKey(def: Pick<JourneyDefinition, 'trigger'>): boolean {
  const t = def.trigger;
  return t.type === 'date' || t.type === 'catalog' || (t.type !== 'segment' && t.key !== undefined);
}

/**
 * Validates a journey definition and returns every problem with its dotted JSON path:
 * the schema (bad durations, split weights, unknown fields, sizes), then the graph
 * (unknown step ids, unreachable steps, missing exits, cycles without a wait), key
 * matchers without a trigger key, and conditions through `validateCondition`.
 *
 * @example
 * const r = validateJourney(JSON.parse(body));
 * if (r.kind !== 'ok') throw new ValidationError('Invalid journey', r.details);
 */
export function validateJourney(input: unknown, options: ValidateOptions = {}): ValidationResult {
  let size: number;
  try {
    size = JSON.stringify(input)?.length ?? 0;
  } catch {
    return { kind: 'invalid', details: [{ path: '', problem: 'must be plain JSON' }] };
  }
  if (size > MAX_DEFINITION_BYTES) {
    return {
      kind: 'invalid',
      details: [{ path: '', problem: `is larger than ${MAX_DEFINITION_BYTES} bytes` }],
    };
  }
  const parsed = JourneyDefinition.safeParse(input);
  if (!parsed.success) return { kind: 'invalid', details: zodDetails(parsed.error) };
  const def = parsed.data;
  const details = graphProblems(def);

  if (!triggerHasKey(def)) {
    const keyed: [string, { key?: string | undefined }][] = [];
    if (def.goal) keyed.push(['goal', def.goal]);
    def.exitOn.forEach((m, i) => keyed.push([`exitOn.${i}`, m]));
    def.steps.forEach((s, i) => {
      if (s.type === 'wait' && s.event) keyed.push([`steps.${i}.event`, s.event]);
    });
    for (const [path, m] of keyed) {
      if (m.key !== undefined) {
        details.push({
          path: `${path}.key`,
          problem: 'matches on the run key, but the trigger gives no key (add trigger.key)',
        });
      }
    }
    if (def.items) {
      details.push({ path: 'items', problem: 'item tracking needs a trigger with a key' });
    }
  }

  const check = options.validateCondition;
  if (check) {
    const conditions: [string, Condition][] = [];
    if (def.trigger.condition !== undefined) {
      conditions.push(['trigger.condition', def.trigger.condition]);
    }
    def.steps.forEach((s, i) => {
      if (s.type === 'branch') {
        s.cases.forEach((c, j) =>
          conditions.push([`steps.${i}.cases.${j}.condition`, c.condition]),
        );
      }
    });
    for (const [path, condition] of conditions) {
      for (const d of check(condition)) {
        details.push({ path: d.path ? `${path}.${d.path}` : path, problem: d.problem });
      }
    }
  }
  return details.length > 0 ? { kind: 'invalid', details } : { kind: 'ok', value: def };
}
