import type { Kysely } from 'kysely';
import { identitiesOf, type WorkspaceModel } from '../profiles/index.js';
import type { Database } from '../store/index.js';
import { compile, dependencies } from './core/index.js';
import { scanProfiles } from './full-scan.js';
import { checkSegment } from './repo.js';
import type { PreviewResult } from './segment.js';
import { unseenEventWarnings } from './typos.js';

/** How many people a definition selects right now, and a few of them; nothing is saved. */
export async function previewSegment(
  db: Kysely<Database>,
  workspaceId: string,
  definition: unknown,
  sampleSize: number,
  now: number,
  model: WorkspaceModel,
): Promise<PreviewResult> {
  const started = performance.now();
  const checked = await checkSegment(db, workspaceId, { name: 'preview', definition });
  const compiled = compile(checked.definition);
  const deps = dependencies(checked.definition);
  let count = 0;
  const sample: string[] = [];
  const profiles = await scanProfiles(db, workspaceId, [{ deps }], now, model, (id, subject) => {
    if (!compiled(subject, now)) return;
    count++;
    if (sample.length < sampleSize) sample.push(id);
  });
  const ids = await identitiesOf(db, workspaceId, sample);
  return {
    count,
    profiles,
    sample: sample.map((profileId) => ({
      profileId,
      identities: ids.get(profileId) ?? [],
    })),
    tookMs: Math.round(performance.now() - started),
    warnings: await unseenEventWarnings(db, workspaceId, checked.definition),
  };
}
