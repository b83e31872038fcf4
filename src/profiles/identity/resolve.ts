import { KIND_PRIORITY, identityKey, type Identifier, type IdentityKind } from './identifiers.js';

/** How many identifiers of a kind one profile may hold; null = no limit. */
export type IdentityLimits = Record<IdentityKind, number | null>;

export const DEFAULT_LIMITS: IdentityLimits = {
  user_id: 1,
  email: 3,
  phone: 3,
  anonymous_id: null,
};

/**
 * The part of the identity graph a decision needs: who holds an identifier, and which
 * identifiers a profile holds. The shell loads it for a batch of events.
 */
export interface IdentityView {
  ownerOf(id: Identifier): string | undefined;
  identitiesOf(profileId: string): readonly Identifier[];
  /** Older profiles win merges when neither has a user id. */
  createdAt(profileId: string): number;
}

export type IdentityDecision =
  | { kind: 'none' }
  | {
      kind: 'resolved';
      /** The profile the event belongs to; `null` means create one. */
      profileId: string | null;
      /** Identifiers to attach to that profile. */
      attach: Identifier[];
      /** Profiles to merge into it, in order. */
      merge: string[];
    };

function fits(
  held: readonly Identifier[],
  adding: readonly Identifier[],
  limits: IdentityLimits,
): boolean {
  const values = new Map<IdentityKind, Set<string>>();
  for (const id of [...held, ...adding]) {
    let set = values.get(id.kind);
    if (!set) values.set(id.kind, (set = new Set()));
    set.add(id.value);
  }
  for (const [kind, set] of values) {
    const limit = limits[kind];
    if (limit !== null && set.size > limit) return false;
  }
  return true;
}

/**
 * Decides which profile an event belongs to, and what it teaches the identity graph.
 * Pure: the shell applies the decision.
 *
 * Rules: identifiers already held by one profile resolve to it; a new identifier attaches
 * to that profile when the per-kind limit allows; identifiers held by different profiles
 * merge them when the union respects every limit (so two known users sharing a device
 * stay two people). Otherwise the strongest identifier (user id, then email, phone,
 * anonymous id) decides the profile and the conflicting identifiers stay where they are.
 * An `alias` is an explicit statement that two ids are one person, so it merges even past
 * the user id limit.
 */
export function resolveIdentity(
  ids: readonly Identifier[],
  view: IdentityView,
  limits: IdentityLimits,
  options: { explicitMerge?: boolean } = {},
): IdentityDecision {
  if (ids.length === 0) return { kind: 'none' };
  const sorted = [...ids].sort((a, b) => KIND_PRIORITY[a.kind] - KIND_PRIORITY[b.kind]);
  const owners: string[] = [];
  const unowned: Identifier[] = [];
  const seenKeys = new Set<string>();
  for (const id of sorted) {
    const key = identityKey(id.kind, id.value);
    if (seenKeys.has(key)) continue;
    seenKeys.add(key);
    const owner = view.ownerOf(id);
    if (owner === undefined) unowned.push(id);
    else if (!owners.includes(owner)) owners.push(owner);
  }

  // Pick the anchor: the owner of the strongest identifier, if any is owned.
  const anchor = owners[0] ?? null;
  const held: Identifier[] = anchor ? [...view.identitiesOf(anchor)] : [];
  const merge: string[] = [];
  const effectiveLimits: IdentityLimits = options.explicitMerge
    ? { ...limits, user_id: null }
    : limits;

  for (const other of owners.slice(1)) {
    const theirs = view.identitiesOf(other);
    if (fits(held, theirs, effectiveLimits)) {
      merge.push(other);
      held.push(...theirs);
    }
  }
  // Order merges so the surviving profile is the one a person would expect: one with a
  // user id first, then the oldest.
  let target = anchor;
  if (target !== null && merge.length > 0) {
    const candidates = [target, ...merge];
    candidates.sort((a, b) => {
      const ua = view.identitiesOf(a).some((i) => i.kind === 'user_id') ? 0 : 1;
      const ub = view.identitiesOf(b).some((i) => i.kind === 'user_id') ? 0 : 1;
      return ua - ub || view.createdAt(a) - view.createdAt(b) || (a < b ? -1 : 1);
    });
    target = candidates[0]!;
    merge.splice(0, merge.length, ...candidates.slice(1));
  }

  if (target === null) {
    // Nobody holds any identifier yet: one new profile, as many as the limits allow.
    const attach: Identifier[] = [];
    for (const id of unowned) if (fits(attach, [id], limits)) attach.push(id);
    return { kind: 'resolved', profileId: null, attach, merge: [] };
  }

  const attach: Identifier[] = [];
  for (const id of unowned) {
    if (fits(held, [id], limits)) {
      attach.push(id);
      held.push(id);
    } else if (id.kind === 'user_id') {
      // A new user id the anchor cannot take is a different person: it wins the event.
      return { kind: 'resolved', profileId: null, attach: [id], merge: [] };
    }
  }
  return { kind: 'resolved', profileId: target, attach, merge };
}
