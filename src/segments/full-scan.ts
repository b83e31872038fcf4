import type { Kysely } from 'kysely';
import type { ProfileFacts, WorkspaceModel } from '../profiles/index.js';
import type { Database } from '../store/index.js';
import type { CompiledSegment } from './core/index.js';
import type { LoadedSegment } from './registry.js';
import { loadSubjects, needs } from './subjects.js';

/**
 * Visits every live profile of a workspace in pages, building their evaluation subjects
 * for the given segments. Used by preview and recompute, which read the whole population.
 */
export async function scanProfiles(
  db: Kysely<Database>,
  workspaceId: string,
  segments: readonly Pick<LoadedSegment, 'deps'>[],
  now: number,
  model: WorkspaceModel,
  visit: (
    profileId: string,
    subject: Parameters<CompiledSegment>[0] & { segments: Set<string> },
  ) => void,
  pageSize = 2000,
): Promise<number> {
  const need = needs(segments);
  let after = '';
  let total = 0;
  for (;;) {
    const rows = await db
      .selectFrom('profiles')
      .select(['id', 'facts'])
      .where('workspace_id', '=', workspaceId)
      .where('merged_into', 'is', null)
      .where('id', '>', after)
      .orderBy('id')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) return total;
    after = rows[rows.length - 1]!.id;
    const subjects = await loadSubjects(
      db,
      workspaceId,
      rows.map((r) => ({ profileId: r.id, facts: JSON.parse(r.facts) as ProfileFacts })),
      need,
      now,
      model,
    );
    for (const [id, subject] of subjects) visit(id, subject);
    total += rows.length;
  }
}
