import { sql, type Kysely } from 'kysely';
import { decodeJson, parseIsoDuration, type Clock } from '../shared/index.js';
import type { Database } from '../store/index.js';
import { PolicyState, emptyState, type PolicyConfig } from './core/types.js';
import { compileEligibility, type CompiledEligibility } from './eligibility.js';
import { OfferInput, WINDOW_RULES, type OfferInput as OfferDef } from './offer.js';
import { PlacementInput, type PlacementInput as PlacementDef } from './placement.js';

/** An offer as decide reads it: the definition, compiled, with its counters when read. */
export interface LiveOffer {
  id: string;
  version: number;
  def: OfferDef;
  eligibility: CompiledEligibility | null;
  validFrom: number;
  validUntil: number;
  capWindowMs: number | null;
  /** Budget left as of the snapshot: a hint; spending re-checks in the store. */
  exhausted: boolean;
}

export interface LivePlacement {
  id: string;
  version: number;
  def: PlacementDef;
  policy: PolicyConfig;
  attributionMs: number;
  state: PolicyState;
}

/** What one workspace's decisions read on every call, and the marks that say it changed. */
export interface Snapshot {
  offers: Map<string, LiveOffer>;
  placements: Map<string, LivePlacement>;
  mark: string;
  checkedAt: number;
}

const ms = (text: string) => {
  const p = parseIsoDuration(text, WINDOW_RULES);
  return p.kind === 'ok' ? p.ms : 0;
};

/** One cheap statement: the newest change to offers and placements, and every state's revision. */
async function changeMark(db: Kysely<Database>, workspaceId: string): Promise<string> {
  const r = await sql<{ o: unknown; p: unknown; s: unknown; c: unknown }>`
    SELECT
      (SELECT max(updated_at) FROM offers WHERE workspace_id = ${workspaceId}) AS o,
      (SELECT max(updated_at) FROM placements WHERE workspace_id = ${workspaceId}) AS p,
      (SELECT sum(revision) FROM decision_policy_state WHERE workspace_id = ${workspaceId}) AS s,
      (SELECT count(*) FROM decision_policy_state WHERE workspace_id = ${workspaceId}) AS c`.execute(
    db,
  );
  const row = r.rows[0];
  return `${String(row?.o)}:${String(row?.p)}:${String(row?.s)}:${String(row?.c)}`;
}

async function load(
  db: Kysely<Database>,
  workspaceId: string,
  mark: string,
  now: number,
): Promise<Snapshot> {
  const offers = new Map<string, LiveOffer>();
  const offerRows = await db
    .selectFrom('offers')
    .select([
      'id',
      'version',
      'definition',
      'budget_count',
      'budget_spend',
      'spent_count',
      'spent_amount',
    ])
    .where('workspace_id', '=', workspaceId)
    .where('deleted_at', 'is', null)
    .execute();
  for (const r of offerRows) {
    // An unreadable offer is left out: decide never shows what it cannot read.
    const d = decodeJson(OfferInput, r.definition);
    if (d.kind !== 'ok') continue;
    const def = d.value;
    const spent = r.spent_count;
    const amount = r.spent_amount;
    offers.set(r.id, {
      id: r.id,
      version: r.version,
      def,
      eligibility: def.eligibility === undefined ? null : compileEligibility(def.eligibility),
      validFrom: def.validFrom ? Date.parse(def.validFrom) : -Infinity,
      validUntil: def.validUntil ? Date.parse(def.validUntil) : Infinity,
      capWindowMs: def.caps?.perPerson ? ms(def.caps.perPerson.within) : null,
      exhausted:
        (r.budget_count !== null && spent + 1 > r.budget_count) ||
        (r.budget_spend !== null && amount + def.value > r.budget_spend),
    });
  }
  const states = new Map(
    (
      await db
        .selectFrom('decision_policy_state')
        .select(['placement_id', 'policy_version', 'state'])
        .where('workspace_id', '=', workspaceId)
        .execute()
    ).map((s) => [s.placement_id, s]),
  );
  const placements = new Map<string, LivePlacement>();
  const placementRows = await db
    .selectFrom('placements')
    .select(['id', 'version', 'definition'])
    .where('workspace_id', '=', workspaceId)
    .where('deleted_at', 'is', null)
    .execute();
  for (const r of placementRows) {
    const d = decodeJson(PlacementInput, r.definition);
    if (d.kind !== 'ok') continue;
    const s = states.get(r.id);
    const decoded = s && s.policy_version === r.version ? decodeJson(PolicyState, s.state) : null;
    placements.set(r.id, {
      id: r.id,
      version: r.version,
      def: d.value,
      policy: d.value.policy,
      attributionMs: ms(d.value.attributionWindow),
      state: decoded?.kind === 'ok' ? decoded.value : emptyState(),
    });
  }
  return { offers, placements, mark, checkedAt: now };
}

/**
 * Offers, placements and learned states per workspace, in memory: the decide hot path
 * reads no definition from the store. At most every `checkEveryMs` one statement compares
 * the change marks (offers, placements, states: any process's writes move them) and
 * reloads on a difference; this process's own writes drop the copy at once.
 */
export class Snapshots {
  private readonly cache = new Map<string, Snapshot>();
  private readonly loading = new Map<string, Promise<Snapshot>>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly checkEveryMs = 250,
  ) {}

  async get(workspaceId: string, db: Kysely<Database> = this.db): Promise<Snapshot> {
    const now = this.clock.now();
    const hit = this.cache.get(workspaceId);
    if (hit && now - hit.checkedAt < this.checkEveryMs) return hit;
    // Inside a transaction (a journey step) read through its handle, alone: on SQLite a
    // load on the store's connection would wait for that very transaction.
    const shared = db === this.db;
    const inFlight = shared ? this.loading.get(workspaceId) : undefined;
    if (inFlight) return inFlight;
    const p = (async () => {
      const mark = await changeMark(db, workspaceId);
      if (hit && hit.mark === mark) {
        hit.checkedAt = now;
        return hit;
      }
      const snap = await load(db, workspaceId, mark, now);
      this.cache.set(workspaceId, snap);
      return snap;
    })();
    if (!shared) return p;
    this.loading.set(workspaceId, p);
    void p.then(
      () => this.loading.delete(workspaceId),
      () => this.loading.delete(workspaceId),
    );
    return p;
  }

  invalidate(workspaceId: string): void {
    this.cache.delete(workspaceId);
  }
}
