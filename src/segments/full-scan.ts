import type { Kysely } from 'kysely';
import { eachLiveProfilePage, type WorkspaceModel } from '../profiles/index.js';
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
  let total = 0;
  for await (const page of eachLiveProfilePage(db, workspaceId, pageSize)) {
    const subjects = await loadSubjects(
      db,
      workspaceId,
      page.map((p) => ({ profileId: p.id, facts: p.facts })),
      need,
      now,
      model,
    );
    for (const [id, subject] of subjects) visit(id, subject);
    total += page.length;
  }
  return total;
}
