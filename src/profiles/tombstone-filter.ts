import type { Clock } from '../shared/index.js';
import type { Tx } from '../store/index.js';
import { erasureHasher, readPrivacySettings } from '../workspaces/index.js';
import { identifiersOf } from './identity/index.js';
import { hasTombstones, tombstonedAmong } from './personal-data.js';
import type { LoggedEvent } from './stored-event.js';

const UNATTRIBUTED = '';

/** An event's identifiers as tombstones hash them (an alias's previous id either way). */
function hashesOf(e: LoggedEvent, hash: (kind: string, value: string) => string): string[] {
  const out = identifiersOf(e, new Set()).map((i) => hash(i.kind, i.value));
  if (e.previousId !== null) {
    out.push(hash('user_id', e.previousId), hash('anonymous_id', e.previousId));
  }
  return out;
}

/** The event as the client sent it, less everything that says who it was about. */
function anonymized(raw: string): string {
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return '{}';
    const who = new Set(['userId', 'anonymousId', 'previousId', 'traits', 'context']);
    const entries = Object.entries(value as Record<string, unknown>);
    const rest = Object.fromEntries(entries.filter(([k]) => !who.has(k)));
    const context = entries.find(([k]) => k === 'context')?.[1];
    const ctx =
      typeof context === 'object' && context !== null && !Array.isArray(context)
        ? Object.fromEntries(
            Object.entries(context).filter(([k]) => !['traits', 'ip', 'userAgent'].includes(k)),
          )
        : undefined;
    return JSON.stringify(ctx ? { ...rest, context: ctx } : rest);
  } catch {
    return '{}';
  }
}

/**
 * Events naming an erased person (a tombstone holds the salted hash of one of their
 * identifiers) are taken out of the batch before identity resolution: `refuse` deletes
 * them, `anonymize` keeps them attributed to no one with the identifiers taken out.
 * Answers the events left to process. A workspace with no tombstone costs one lookup.
 */
export async function dropErased(
  tx: Tx,
  clock: Clock,
  workspaceId: string,
  events: LoggedEvent[],
): Promise<LoggedEvent[]> {
  if (!(await hasTombstones(tx, workspaceId))) return events;
  const hash = await erasureHasher(tx, clock, workspaceId);
  const hashes = new Map(events.map((e) => [e.id, hashesOf(e, hash)]));
  const dead = await tombstonedAmong(tx, workspaceId, [...hashes.values()].flat());
  if (dead.size === 0) return events;
  const erased = events.filter((e) => hashes.get(e.id)!.some((h) => dead.has(h)));
  if (erased.length === 0) return events;
  const ids = erased.map((e) => e.id);
  const { afterErasure } = await readPrivacySettings(tx, workspaceId);
  if (afterErasure === 'refuse') {
    await tx.deleteFrom('events').where('id', 'in', ids).execute();
  } else {
    for (const e of erased) {
      const row = await tx
        .selectFrom('events')
        .select('raw')
        .where('id', '=', e.id)
        .executeTakeFirst();
      await tx
        .updateTable('events')
        .set({
          user_id: null,
          anonymous_id: null,
          previous_id: null,
          raw: anonymized(row?.raw ?? '{}'),
          profile_id: UNATTRIBUTED,
        })
        .where('id', '=', e.id)
        .execute();
    }
  }
  const gone = new Set(ids);
  return events.filter((e) => !gone.has(e.id));
}
