import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import { pushTo } from '../shared/index.js';
import { emptyFacts, mergeFacts, type ProfileFacts } from './computed/index.js';
import {
  identityKey,
  type Identifier,
  type IdentityKind,
  type IdentityView,
} from './identity/index.js';
import { decodeFacts } from './profile-reads.js';
import { clearValue, lookupValues } from './identity/stored-value.js';
import { refoldFacts } from './refold.js';

export interface WorkingProfile {
  id: string;
  facts: ProfileFacts;
  createdAt: number;
  mergedInto: string | null;
  isNew: boolean;
  dirty: boolean;
}

export interface MergeRecord {
  winnerId: string;
  loserId: string;
  messageId: string | null;
  reason: string;
  identities: Identifier[];
}

/**
 * The slice of the identity graph and the profiles one batch of events touches, loaded
 * once, changed in memory, and written back in a handful of statements.
 */
export class WorkingSet implements IdentityView {
  private readonly owner = new Map<string, string>();
  private readonly held = new Map<string, Identifier[]>();
  readonly profiles = new Map<string, WorkingProfile>();
  readonly newIdentities: (Identifier & { profileId: string })[] = [];
  readonly merges: MergeRecord[] = [];

  constructor(readonly workspaceId: string) {}

  ownerOf(id: Identifier): string | undefined {
    return this.owner.get(identityKey(id.kind, id.value));
  }
  identitiesOf(profileId: string): readonly Identifier[] {
    return this.held.get(profileId) ?? [];
  }
  createdAt(profileId: string): number {
    return this.profiles.get(profileId)?.createdAt ?? Number.MAX_SAFE_INTEGER;
  }

  /** Loads who holds these identifiers, those profiles, and everything they hold. */
  async load(db: Kysely<Database>, ids: readonly Identifier[], lock: boolean): Promise<void> {
    const unique = new Map(ids.map((i) => [identityKey(i.kind, i.value), i]));
    const owners = new Set<string>();
    const list = [...unique.values()];
    for (let i = 0; i < list.length; i += 300) {
      const chunk = list.slice(i, i + 300);
      const rows = await db
        .selectFrom('identities')
        .select(['kind', 'value', 'profile_id'])
        .where('workspace_id', '=', this.workspaceId)
        .where((eb) =>
          eb(
            eb.refTuple('kind', 'value'),
            'in',
            chunk.flatMap((c) => lookupValues(db, c.kind, c.value).map((v) => eb.tuple(c.kind, v))),
          ),
        )
        .execute();
      for (const r of rows) owners.add(r.profile_id);
    }
    await this.loadProfiles(db, [...owners], lock);
  }

  async loadProfiles(db: Kysely<Database>, ids: readonly string[], lock: boolean): Promise<void> {
    const missing = ids.filter((id) => !this.profiles.has(id));
    for (let i = 0; i < missing.length; i += 300) {
      const chunk = missing.slice(i, i + 300);
      let q = db
        .selectFrom('profiles')
        .select(['id', 'facts', 'created_at', 'merged_into'])
        .where('id', 'in', chunk);
      if (lock) q = q.forUpdate();
      const rows = await q.execute();
      const unreadable: string[] = [];
      for (const r of rows) {
        const decoded = decodeFacts(r.facts);
        if (decoded.kind === 'corrupt') unreadable.push(r.id);
        this.profiles.set(r.id, {
          id: r.id,
          facts: decoded.kind === 'ok' ? decoded.value : emptyFacts(),
          createdAt: r.created_at,
          mergedInto: r.merged_into,
          isNew: false,
          // Facts that did not decode are re-derived from the log and written back.
          dirty: decoded.kind === 'corrupt',
        });
      }
      if (unreadable.length > 0) {
        for (const [id, { facts }] of await refoldFacts(db, this.workspaceId, unreadable))
          this.profiles.get(id)!.facts = facts;
      }
      const idRows = await db
        .selectFrom('identities')
        .select(['kind', 'value', 'sealed_value', 'profile_id'])
        .where('workspace_id', '=', this.workspaceId)
        .where('profile_id', 'in', chunk)
        .execute();
      for (const r of idRows)
        this.hold(r.profile_id, { kind: r.kind as IdentityKind, value: clearValue(r) });
    }
  }

  private hold(profileId: string, id: Identifier): void {
    this.owner.set(identityKey(id.kind, id.value), profileId);
    if (this.held.get(profileId)?.some((x) => x.kind === id.kind && x.value === id.value)) return;
    pushTo(this.held, profileId, id);
  }

  create(id: string, now: number): WorkingProfile {
    const p: WorkingProfile = {
      id,
      facts: emptyFacts(),
      createdAt: now,
      mergedInto: null,
      isNew: true,
      dirty: true,
    };
    this.profiles.set(id, p);
    return p;
  }

  attach(profileId: string, id: Identifier): void {
    this.hold(profileId, id);
    this.newIdentities.push({ ...id, profileId });
  }

  /** Folds `loser` into `winner`: facts, identifiers, and the record an unmerge needs. */
  merge(winnerId: string, loserId: string, messageId: string | null, reason: string): void {
    const winner = this.profiles.get(winnerId)!;
    const loser = this.profiles.get(loserId)!;
    const moved = [...this.identitiesOf(loserId)];
    winner.facts = mergeFacts(winner.facts, loser.facts);
    winner.dirty = true;
    loser.mergedInto = winnerId;
    loser.dirty = true;
    for (const id of moved) this.hold(winnerId, id);
    this.held.delete(loserId);
    for (const n of this.newIdentities) if (n.profileId === loserId) n.profileId = winnerId;
    this.merges.push({ winnerId, loserId, messageId, reason, identities: moved });
  }
}
