import type { Kysely } from 'kysely';
import { listJourneys } from '../journeys/index.js';
import { listTemplates, templateAttributeUses } from '../messaging/index.js';
import {
  assertSensitiveUse,
  checkSensitiveUse,
  violationDetail,
  type AttributeUse,
  type SensitiveSettings,
} from '../privacy/index.js';
import { listSegments } from '../segments/index.js';
import { ValidationError, type ErrorDetail } from '../shared/index.js';
import type { Database } from '../store/index.js';
import { readSensitiveSettings } from '../workspaces/index.js';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Every `{"trait": path}` in a rule tree (segment definitions, journey conditions, a date
 * trigger's trait), with where it is. The rule language names a trait only by that key.
 */
export function ruleTraitUses(node: unknown, at: string, leaf = 'trait'): AttributeUse[] {
  const out: AttributeUse[] = [];
  const visit = (value: unknown, path: string, depth: number): void => {
    if (depth > 64) return;
    if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, `${path}.${i}`, depth + 1));
      return;
    }
    if (!isRecord(value)) return;
    for (const [key, child] of Object.entries(value)) {
      if (key === leaf && typeof child === 'string') {
        out.push({ attribute: child, rule: `${path}.${leaf}` });
      } else visit(child, `${path}.${key}`, depth + 1);
    }
  };
  visit(node, at, 0);
  return out;
}

// `{{ profile.traits.x }}`, `traits.x` in a tag: journey webhook bodies and inline content.
const TRAIT_TEXT = /\btraits((?:\.[A-Za-z0-9_$-]+)+)/g;

/** Traits named in the strings of a journey's steps (webhook bodies, inline messages). */
function textTraitUses(node: unknown, at: string): AttributeUse[] {
  const out: AttributeUse[] = [];
  const visit = (value: unknown, path: string, depth: number): void => {
    if (depth > 64) return;
    if (typeof value === 'string') {
      for (const m of value.matchAll(TRAIT_TEXT)) {
        out.push({ attribute: m[1]!.slice(1), rule: path });
      }
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, `${path}.${i}`, depth + 1));
    } else if (isRecord(value)) {
      for (const [k, v] of Object.entries(value)) visit(v, `${path}.${k}`, depth + 1);
    }
  };
  visit(node, at, 0);
  return out;
}

/** A journey's uses: its conditions feed targeting (`segments`), its texts `templates`. */
function journeyViolations(settings: SensitiveSettings, definition: unknown, at: string) {
  const steps = isRecord(definition) ? definition.steps : undefined;
  return [
    ...checkSensitiveUse(settings, 'segments', ruleTraitUses(definition, at)),
    ...checkSensitiveUse(settings, 'templates', textTraitUses(steps, `${at}.steps`)),
  ];
}

/** Refuses a segment definition (create, update, preview) that reads a sensitive trait. */
export async function assertSegmentSensitive(
  db: Kysely<Database>,
  workspaceId: string,
  definition: unknown,
): Promise<void> {
  const settings = await readSensitiveSettings(db, workspaceId);
  assertSensitiveUse(settings, 'segments', ruleTraitUses(definition, 'definition'));
}

/** Refuses a journey whose conditions or message texts read a sensitive trait. */
export async function assertJourneySensitive(
  db: Kysely<Database>,
  workspaceId: string,
  definition: unknown,
): Promise<void> {
  const settings = await readSensitiveSettings(db, workspaceId);
  const violations = journeyViolations(settings, definition, 'definition');
  if (violations.length === 0) return;
  throw new ValidationError(
    'This journey uses sensitive attributes without an allowance (docs/privacy.md, Sensitive attributes).',
    violations.map((v) => violationDetail(v)),
  );
}

/**
 * What stored segments, templates and journeys would break the new sensitive settings:
 * a settings change that makes one of them a violation is refused, listing each, so a
 * stored rule never silently starts (or keeps) using an attribute the list now covers.
 */
export async function storedSensitiveUses(
  db: Kysely<Database>,
  workspaceId: string,
  settings: SensitiveSettings,
): Promise<ErrorDetail[]> {
  const out: ErrorDetail[] = [];
  for (const s of await listSegments(db, workspaceId)) {
    const uses = ruleTraitUses(s.definition, 'definition');
    for (const v of checkSensitiveUse(settings, 'segments', uses)) {
      out.push(violationDetail(v, `segment ${s.id}`));
    }
  }
  for (const t of await listTemplates(db, workspaceId)) {
    const uses = templateAttributeUses(t.template);
    for (const v of checkSensitiveUse(settings, 'templates', uses)) {
      out.push(violationDetail(v, `template ${t.template.id}`));
    }
  }
  for (const j of await listJourneys(db, workspaceId).catch(() => [])) {
    if (j.status === 'archived') continue;
    for (const v of journeyViolations(settings, j.definition, 'definition')) {
      out.push(violationDetail(v, `journey ${j.id}`));
    }
  }
  return out;
}

/**
 * Refuses an offer whose eligibility reads a sensitive trait, or a sensitive key of the
 * decide call's context (`{"context": "latitude", …}`): both feed decisions.
 */
export async function assertOfferSensitive(
  db: Kysely<Database>,
  workspaceId: string,
  eligibility: unknown,
): Promise<void> {
  if (eligibility === undefined || eligibility === null) return;
  const settings = await readSensitiveSettings(db, workspaceId);
  assertSensitiveUse(settings, 'decisions', [
    ...ruleTraitUses(eligibility, 'eligibility'),
    ...ruleTraitUses(eligibility, 'eligibility', 'context'),
  ]);
}

/**
 * Refuses a placement whose contextual policy reads a sensitive context key as a feature
 * (`ctx.<key>` or `ctx.<key>=<value>`); the other features are computed traits.
 */
export async function assertPlacementSensitive(
  db: Kysely<Database>,
  workspaceId: string,
  policy: unknown,
): Promise<void> {
  const features = isRecord(policy) && Array.isArray(policy.features) ? policy.features : [];
  const uses: AttributeUse[] = [];
  features.forEach((f, i) => {
    if (typeof f === 'string' && f.startsWith('ctx.')) {
      uses.push({ attribute: f.slice(4).split('=')[0]!, rule: `policy.features.${i}` });
    }
  });
  if (uses.length === 0) return;
  assertSensitiveUse(await readSensitiveSettings(db, workspaceId), 'decisions', uses);
}
