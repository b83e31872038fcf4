import type { Clock } from '../shared/index.js';
import { withTransaction, type Store } from '../store/index.js';
import { eachLiveProfilePage } from './profile-reads.js';
import { refoldFacts } from './refold.js';

export interface RebuildResult {
  profiles: number;
  events: number;
  /** Profiles whose stored facts differed from the log (should be 0). */
  changed: string[];
}

/**
 * Re-derives every live profile's facts from the event log. With `dryRun` it only reports
 * which profiles differ: incremental processing must leave none.
 */
export async function rebuildProfiles(
  store: Store,
  clock: Clock,
  workspaceId: string,
  options: { dryRun?: boolean; onProgress?: (done: number, total: number) => void } = {},
): Promise<RebuildResult> {
  const total = Number(
    (
      await store.db
        .selectFrom('profiles')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('workspace_id', '=', workspaceId)
        .where('merged_into', 'is', null)
        .executeTakeFirstOrThrow()
    ).n,
  );
  const result: RebuildResult = { profiles: 0, events: 0, changed: [] };
  for await (const page of eachLiveProfilePage(store.db, workspaceId, 500)) {
    await withTransaction(store, async (tx) => {
      const refolded = await refoldFacts(
        tx,
        workspaceId,
        page.map((p) => p.id),
      );
      for (const p of page) {
        const { facts, events } = refolded.get(p.id)!;
        result.events += events.length;
        const text = JSON.stringify(facts);
        // Facts that did not decode were refolded on reading: they differ from the store.
        if (p.unreadable === undefined && text === JSON.stringify(p.facts)) continue;
        result.changed.push(p.id);
        if (!options.dryRun) {
          await tx
            .updateTable('profiles')
            .set({ facts: text, updated_at: clock.now() })
            .where('id', '=', p.id)
            .execute();
        }
      }
    });
    result.profiles += page.length;
    options.onProgress?.(result.profiles, total);
  }
  return result;
}
