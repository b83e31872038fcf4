import type { Kysely } from 'kysely';
import type { Consents } from '../privacy/index.js';
import type { ChangeFeed, Database } from '../store/index.js';
import { consentsOfLive } from './consent-store.js';

const MAX_PEOPLE = 100_000;

/**
 * People's consents for the serving paths (recommendations, decide), read once and kept
 * until they change. Every writer of consents announces the change (`recordChanges` in
 * consent-store), and the request's `sync()` at authentication drops it here before the
 * request reads, in every process: a "no" holds from the next request on, with no read
 * of the store while nothing changed. A transaction's reads (a journey step) bypass it.
 */
export class ConsentCache {
  /** By the profile asked for: consents and the profile they belong to (after a merge). */
  private readonly people = new Map<string, { consents: Consents; live: string }>();
  /** A profile's consents are also cached under the merged profiles that name it. */
  private readonly aliases = new Map<string, Set<string>>();
  /** Bumped by every drop: a read that overlapped one may be stale and is not kept. */
  private epoch = 0;

  constructor(feed: ChangeFeed) {
    feed.subscribe('consent', (change) => {
      this.epoch++;
      // Null: anything may have changed; '' (an erasure): the workspace's people, all of them.
      if (change === null || change.subject === '') {
        this.people.clear();
        this.aliases.clear();
        return;
      }
      const key = `${change.workspaceId}\u0000${change.subject}`;
      this.people.delete(key);
      for (const k of this.aliases.get(key) ?? []) this.people.delete(k);
      this.aliases.delete(key);
    });
  }

  async get(db: Kysely<Database>, workspaceId: string, profileId: string): Promise<Consents> {
    if (db.isTransaction) return (await consentsOfLive(db, workspaceId, profileId)).consents;
    const key = `${workspaceId}\u0000${profileId}`;
    const hit = this.people.get(key);
    if (hit) return hit.consents;
    const epoch = this.epoch;
    const read = await consentsOfLive(db, workspaceId, profileId);
    if (epoch === this.epoch) {
      if (this.people.size >= MAX_PEOPLE) {
        this.people.clear();
        this.aliases.clear();
      }
      const live = `${workspaceId}\u0000${read.profileId}`;
      this.people.set(key, { consents: read.consents, live });
      if (live !== key) {
        const set = this.aliases.get(live) ?? new Set<string>();
        set.add(key);
        this.aliases.set(live, set);
      }
    }
    return read.consents;
  }
}
