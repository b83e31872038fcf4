import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import {
  applyEvent,
  deriveTraits,
  emptyFacts,
  foldEvents,
  type ComputedTraits,
  type ProfileFacts,
  type WorkspaceModel,
} from './computed/index.js';
import { toLoggedEvent, type LoggedEvent } from './stored-event.js';

/** Re-derives the facts of these profiles from the events the log attributes to them. */
export async function refoldFacts(
  db: Kysely<Database>,
  workspaceId: string,
  profileIds: readonly string[],
): Promise<Map<string, { facts: ProfileFacts; events: LoggedEvent[] }>> {
  const out = new Map<string, { facts: ProfileFacts; events: LoggedEvent[] }>();
  for (const id of profileIds) out.set(id, { facts: emptyFacts(), events: [] });
  if (profileIds.length === 0) return out;
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('events')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('profile_id', 'in', [...profileIds])
      .where('id', '>', after)
      .orderBy('id')
      .limit(5000)
      .execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      const e = toLoggedEvent(row);
      const slot = out.get(row.profile_id!)!;
      slot.facts = applyEvent(slot.facts, e);
      slot.events.push(e);
    }
    after = rows[rows.length - 1]!.id;
  }
  return out;
}

/**
 * A person's computed traits as they stood at `at`, from their logged events up to then
 * (what a model of "before the journey" must see: nothing the journey caused). The
 * uplift traits are left out: a model is not trained on other models' scores.
 */
export function traitsAsOf(
  events: readonly LoggedEvent[],
  at: number,
  model: WorkspaceModel,
): ComputedTraits {
  const base: WorkspaceModel = { ...model };
  delete base.uplift;
  return deriveTraits(foldEvents(events.filter((e) => e.timestamp <= at)), at, base);
}
