import type { Kysely } from 'kysely';
import { z } from 'zod';
import { eventNameSeen, seenEventNames, unknownComputedPath } from '../profiles/index.js';
import { didYouMean, type ErrorDetail } from '../shared/index.js';
import type { Database } from '../store/index.js';
import { namedUses, type SegmentDefinition } from './core/index.js';

/** Something worth knowing about a saved definition that did not stop the save. */
export const DefinitionWarning = z.object({
  path: z.string(),
  problem: z.string(),
  /** The known name closest to the one written, when one is close. */
  didYouMean: z.string().optional(),
});
export type DefinitionWarning = z.infer<typeof DefinitionWarning>;

const at = (prefix: string, path: readonly (string | number)[]) =>
  [prefix, ...path].filter((p) => p !== '').join('.');

/**
 * Computed traits a definition names that do not exist: a typo such as `odrer_count`
 * would otherwise read nothing and match nobody, silently.
 */
export function unknownComputedTraits(
  definition: SegmentDefinition,
  prefix = 'definition',
): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  for (const use of namedUses(definition)) {
    if (use.kind !== 'computed') continue;
    const unknown = unknownComputedPath(use.name);
    if (!unknown) continue;
    const guess = didYouMean(unknown.name, unknown.known);
    const parts = use.name.split('.');
    const depth = unknown.at.split('.').length - 1;
    const parent = parts.slice(0, depth).join('.');
    const fixed = guess
      ? [...parts.slice(0, depth), guess, ...parts.slice(depth + 1)].join('.')
      : '';
    const where = depth === 0 ? '' : `: "${parent}" has no "${unknown.name}"`;
    out.push({
      path: at(prefix, use.path),
      problem: `unknown computed trait "${use.name}"${where}${guess ? `; did you mean "${fixed}"?` : ''} (see docs/computed-traits.md)`,
    });
  }
  return out;
}

/**
 * Event names a definition uses that this workspace has never received. Not an error
 * (the events may start arriving tomorrow), but the likely typo is named when a seen
 * name is close.
 */
export async function unseenEventWarnings(
  db: Kysely<Database>,
  workspaceId: string,
  definition: SegmentDefinition,
  prefix = 'definition',
): Promise<DefinitionWarning[]> {
  const out: DefinitionWarning[] = [];
  let seen: string[] | undefined;
  for (const use of namedUses(definition)) {
    if (use.kind !== 'event' || (await eventNameSeen(db, workspaceId, use.name))) continue;
    seen ??= await seenEventNames(db, workspaceId);
    const guess = didYouMean(use.name, seen);
    out.push({
      path: at(prefix, use.path),
      problem: `no "${use.name}" event has been received in this workspace yet${guess ? `; did you mean "${guess}"?` : ' (it may arrive later)'}`,
      ...(guess ? { didYouMean: guess } : {}),
    });
  }
  return out;
}
