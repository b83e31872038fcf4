import { z } from 'zod';
import { ValidationError, type ErrorDetail } from '../../shared/index.js';
import { CATEGORY_TRAITS, SENSITIVE_CATEGORIES, SensitiveCategory } from './categories.js';

/** What a trait may feed; each needs its own allowance. */
export const SensitiveUse = z.enum(['segments', 'templates', 'recommendations', 'decisions']);
export type SensitiveUse = z.infer<typeof SensitiveUse>;

/** A trait path or pattern: `religion`, `health.*`, `address.latitude`. */
export const TraitPattern = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*(\.\*)?$/,
    'must be a dotted trait path, optionally ending in .* (e.g. "religion", "health.*")',
  )
  .max(200);

/** One recorded exception: this attribute may feed this use, for this reason. */
export const SensitiveAllowance = z.strictObject({
  attribute: TraitPattern,
  use: SensitiveUse,
  reason: z
    .string()
    .trim()
    .min(10, 'say why in at least 10 characters: the reason is what a reviewer reads')
    .max(1000),
});
export type SensitiveAllowance = z.infer<typeof SensitiveAllowance>;

/** The `sensitive` section of a workspace's settings (docs/privacy.md, Sensitive attributes). */
export const SensitiveSettings = z.strictObject({
  /** Built-in categories that are on; all of them unless a shop says otherwise. */
  categories: z
    .array(SensitiveCategory)
    .max(SENSITIVE_CATEGORIES.length)
    .default([...SENSITIVE_CATEGORIES]),
  /** The shop's own sensitive traits, on top of the categories'. */
  traits: z.array(TraitPattern).max(500).default([]),
  /** Exceptions, each with its reason; changes are audited with the settings. */
  allow: z.array(SensitiveAllowance).max(500).default([]),
});
export type SensitiveSettings = z.infer<typeof SensitiveSettings>;

export const DEFAULT_SENSITIVE_SETTINGS: SensitiveSettings = SensitiveSettings.parse({});

const norm = (segment: string) => segment.toLowerCase().replace(/[_-]/g, '');

interface Pattern {
  text: string;
  parts: string[];
  /** `a.*`: the path and everything under it; otherwise the path itself (and under it). */
  wildcard: boolean;
}

function patternOf(text: string): Pattern {
  const wildcard = text.endsWith('.*');
  const base = wildcard ? text.slice(0, -2) : text;
  return { text, parts: base.split('.').map(norm), wildcard };
}

/**
 * Whether reading `path` reads what `pattern` names: the path is the pattern's path, lies
 * under it, or contains it (reading `location` reads `location.latitude`). The empty path
 * (all traits at once) is left to the render-time filter, which removes sensitive traits
 * from whatever a generic loop sees.
 */
function overlaps(path: string[], pattern: Pattern): boolean {
  if (path.length === 0) return false;
  const n = Math.min(path.length, pattern.parts.length);
  for (let i = 0; i < n; i++) if (path[i] !== pattern.parts[i]) return false;
  return true;
}

/** Whether an allowance's attribute covers `path` (at or under it). */
function covers(path: string[], pattern: Pattern): boolean {
  if (path.length < pattern.parts.length) return false;
  return pattern.parts.every((p, i) => path[i] === p);
}

export interface SensitiveMatch {
  /** The pattern that made it sensitive. */
  pattern: string;
  /** A built-in category, or `custom` for the shop's own list. */
  category: SensitiveCategory | 'custom';
}

/** Every pattern in force, with where it comes from. */
function patternsOf(
  settings: SensitiveSettings,
): (Pattern & { category: SensitiveMatch['category'] })[] {
  const out: (Pattern & { category: SensitiveMatch['category'] })[] = [];
  for (const category of settings.categories) {
    for (const p of CATEGORY_TRAITS[category]) out.push({ ...patternOf(p), category });
  }
  for (const p of settings.traits) out.push({ ...patternOf(p), category: 'custom' });
  return out;
}

const split = (path: string) => (path === '' ? [] : path.split('.').map(norm));

/** Why a trait path is sensitive, or null when it is not. */
export function sensitiveMatch(settings: SensitiveSettings, path: string): SensitiveMatch | null {
  const parts = split(path);
  for (const p of patternsOf(settings)) {
    if (overlaps(parts, p)) return { pattern: p.text, category: p.category };
  }
  return null;
}

/** Whether an allowance lets `path` feed `use`. */
export function isAllowed(settings: SensitiveSettings, use: SensitiveUse, path: string): boolean {
  const parts = split(path);
  return settings.allow.some((a) => a.use === use && covers(parts, patternOf(a.attribute)));
}

/** A trait a rule reads, and where the rule is (a dotted path in the request). */
export interface AttributeUse {
  /** The trait path as written (`religion`, `health.conditions`). */
  attribute: string;
  /** Where: `definition.all.1.trait`, `html`, `steps.2.cases.0.condition.trait`. */
  rule: string;
}

export interface SensitiveViolation extends AttributeUse, SensitiveMatch {
  use: SensitiveUse;
}

/**
 * The uses that feed a sensitive attribute into `use` without an allowance. Pure: the
 * decisions and recommendation shells call it with the features they are about to use.
 *
 * @example
 * checkSensitiveUse(DEFAULT_SENSITIVE_SETTINGS, 'segments', [{ attribute: 'religion', rule: 'definition.trait' }]);
 * // [{ attribute: 'religion', rule: 'definition.trait', use: 'segments',
 * //    pattern: 'religion.*', category: 'religion' }]
 */
export function checkSensitiveUse(
  settings: SensitiveSettings,
  use: SensitiveUse,
  attributes: readonly AttributeUse[],
): SensitiveViolation[] {
  const out: SensitiveViolation[] = [];
  for (const a of attributes) {
    const match = sensitiveMatch(settings, a.attribute);
    if (match && !isAllowed(settings, use, a.attribute)) out.push({ ...a, ...match, use });
  }
  return out;
}

/** One violation as an error detail naming the rule and the attribute. */
export function violationDetail(v: SensitiveViolation, prefix = ''): ErrorDetail {
  const from = v.category === 'custom' ? 'the workspace list' : `category ${v.category}`;
  return {
    path: prefix ? `${prefix}.${v.rule}`.replace(/\.$/, '') : v.rule,
    problem:
      `uses the sensitive attribute "${v.attribute}" (${from}, pattern "${v.pattern}") in ${v.use}; ` +
      `remove it, or allow it with a reason: settings sensitive.allow ` +
      `[{"attribute": "${v.attribute}", "use": "${v.use}", "reason": "..."}]`,
  };
}

/** Throws a 400 naming each rule and attribute when `attributes` feed sensitive data to `use`. */
export function assertSensitiveUse(
  settings: SensitiveSettings,
  use: SensitiveUse,
  attributes: readonly AttributeUse[],
): void {
  const violations = checkSensitiveUse(settings, use, attributes);
  if (violations.length === 0) return;
  const names = [...new Set(violations.map((v) => `"${v.attribute}"`))].join(', ');
  throw new ValidationError(
    `Sensitive attribute ${names} may not feed ${use} unless allowed with a recorded reason (docs/privacy.md, Sensitive attributes).`,
    violations.map((v) => violationDetail(v)),
  );
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A copy of `traits` without the sensitive ones `use` is not allowed: the second line of
 * defence at render time, for a template that reads traits in a way analysis cannot see
 * (a loop over all traits, an alias, a key held in a variable).
 */
export function withoutSensitiveTraits(
  settings: SensitiveSettings,
  use: SensitiveUse,
  traits: Record<string, unknown>,
): Record<string, unknown> {
  const walk = (node: Record<string, unknown>, prefix: string[]): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      const path = [...prefix, key].join('.');
      const match = sensitiveMatch(settings, path);
      if (match) {
        const exact = covers(split(path), patternOf(match.pattern));
        if (exact) {
          if (!isAllowed(settings, use, path)) continue;
        } else if (isRecord(value)) {
          // An ancestor of a sensitive path (`location`): keep it, minus what is sensitive.
          Object.defineProperty(out, key, {
            value: walk(value, [...prefix, key]),
            enumerable: true,
            writable: true,
            configurable: true,
          });
          continue;
        }
        // A value beside a sensitive path's ancestor (`location: "Paris"`) holds none of it.
      }
      Object.defineProperty(out, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  };
  return walk(traits, []);
}
