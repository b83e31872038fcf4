import type { Kysely, Selectable } from 'kysely';
import type { ModelCache } from '../profiles/index.js';
import { findProfileId } from '../profiles/index.js';
import { newId, TtlCache, ValidationError, type Clock, type Random } from '../shared/index.js';
import {
  storeInTransaction,
  withRetriedTransaction,
  type Database,
  type DecisionsTable,
  type Store,
  type Tx,
} from '../store/index.js';
import { refundBudget, spendBudget } from './budget.js';
import { claimCode, codeOf } from './codes.js';
import { choose } from './core/policy.js';
import type { Choice, PolicyConfig } from './core/types.js';
import { capHistory, decisionByKey, DecisionWriter, type DecisionRow } from './decision-log.js';
import type { DecideResult } from './decision.js';
import { buildFeatures } from './features.js';
import type { OfferChannel } from './offer.js';
import { loadPerson, type DecisionPerson } from './person.js';
import { bucket, exclusion, resultOf, view, type ConsentView } from './decide-parts.js';
import { Snapshots, type LiveOffer, type LivePlacement, type Snapshot } from './snapshot.js';

export type ConsentLookup = (
  db: Kysely<Database>,
  workspaceId: string,
  profileId: string | null,
) => Promise<ConsentView>;

export interface DecideRequest {
  workspaceId: string;
  placement: string;
  /** The person, when the caller knows them (journeys, templates). */
  profileId?: string | null;
  userId?: string | undefined;
  anonymousId?: string | undefined;
  context?: Record<string, unknown>;
  channel?: OfferChannel | undefined;
  /** The same key answers the same decision (a message rendered twice, a step replayed). */
  dedupeKey?: string;
  /** Decide inside this transaction (a journey step in the pipeline's). */
  tx?: Tx;
}

type Outcome =
  | { kind: 'ok'; row: DecisionRow }
  | { kind: 'existing'; row: Selectable<DecisionsTable> }
  | { kind: 'budget' | 'no_codes' };

export class DecisionService {
  readonly snapshots: Snapshots;
  private readonly writer: DecisionWriter;
  private readonly people: TtlCache<string | null>;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly models: ModelCache,
    private readonly consent: ConsentLookup,
    private readonly random: Random = Math.random,
  ) {
    this.snapshots = new Snapshots(store.db, clock);
    this.writer = new DecisionWriter(store);
    this.people = new TtlCache(clock, 5_000);
  }

  async close(): Promise<void> {
    await this.writer.close();
  }

  async decide(req: DecideRequest): Promise<DecideResult> {
    const db = req.tx ?? this.store.db;
    const ws = req.workspaceId;
    const snap = await this.snapshots.get(ws, db);
    const placement = snap.placements.get(req.placement);
    if (!placement)
      throw new ValidationError(`No placement "${req.placement}".`, [
        {
          path: 'placement',
          problem: `no placement "${req.placement}" (create it with POST /v1/placements)`,
        },
      ]);
    if (req.dedupeKey) {
      const existing = await decisionByKey(db, ws, req.dedupeKey);
      if (existing) return resultOf(snap, existing);
    }
    const profileId = req.profileId !== undefined ? req.profileId : await this.resolve(db, req);
    const context = req.context ?? {};
    const now = this.clock.now();
    const who = profileId ?? req.userId ?? req.anonymousId;
    const inHoldout =
      placement.def.holdoutPercent > 0 &&
      (who === undefined ? this.random() * 100 : bucket(`${placement.id}\u0000${who}`)) <
        placement.def.holdoutPercent;
    if (inHoldout)
      return this.fallback(snap, placement, req, profileId, context, now, ['holdout'], true);

    const candidates = placement.def.candidates.flatMap((id) => {
      const o = snap.offers.get(id);
      return o ? [o] : [];
    });
    const reasons: string[] = placement.def.candidates
      .filter((id) => !snap.offers.has(id))
      .map((id) => `excluded:${id}:gone`);
    const consent = await this.consent(db, ws, profileId);
    const person = await loadPerson(db, this.models, ws, profileId, candidates, context, now);
    let eligible = await this.eligible(
      db,
      ws,
      profileId,
      candidates,
      person,
      consent,
      req.channel,
      now,
      reasons,
    );
    const personalized = consent.personalized;
    if (!personalized) reasons.push('not_personalized');
    const features = personalized ? buildFeatures(person.computed, context, now) : {};
    while (eligible.length > 0) {
      const config: PolicyConfig = personalized
        ? placement.policy
        : { kind: 'fixed', order: eligible.map((o) => o.id) };
      const choice = choose(
        config,
        placement.state,
        eligible.map((o) => o.id),
        { features },
        this.random,
      );
      const offer = eligible.find((o) => o.id === choice.action)!;
      const row = decisionRow(req, placement, profileId, now, {
        offer_id: offer.id,
        offer_version: offer.version,
        policy_kind: config.kind,
        propensity: choice.propensity,
        distribution: JSON.stringify(choice.distribution),
        features: JSON.stringify(features),
        context: JSON.stringify(context),
        reasons: JSON.stringify([`policy:${config.kind}`, ...reasons]),
        holdout: 0,
        learned_at: null,
      });
      const outcome = await this.commit(req, offer, row);
      if (outcome.kind === 'existing') return resultOf(snap, outcome.row);
      if (outcome.kind === 'ok')
        return this.answer(placement, offer, outcome.row, choice, [
          `policy:${config.kind}`,
          ...reasons,
        ]);
      if (outcome.kind === 'budget') offer.exhausted = true;
      reasons.push(`excluded:${offer.id}:${outcome.kind}`);
      eligible = eligible.filter((o) => o !== offer);
    }
    return this.fallback(
      snap,
      placement,
      req,
      profileId,
      context,
      now,
      ['no_eligible_offer', ...reasons],
      false,
    );
  }

  private async resolve(db: Kysely<Database>, req: DecideRequest): Promise<string | null> {
    const kind = req.userId ? 'user_id' : req.anonymousId ? 'anonymous_id' : null;
    const value = req.userId ?? req.anonymousId;
    if (!kind || !value) return null;
    const key = `${req.workspaceId}\u0000${kind}\u0000${value}`;
    // Inside a transaction the cache's loader must read through its handle.
    return req.tx
      ? findProfileId(db, req.workspaceId, kind, value)
      : this.people.get(key, () => findProfileId(db, req.workspaceId, kind, value));
  }

  private async eligible(
    db: Kysely<Database>,
    ws: string,
    profileId: string | null,
    candidates: LiveOffer[],
    person: DecisionPerson,
    consent: ConsentView,
    channel: OfferChannel | undefined,
    now: number,
    reasons: string[],
  ): Promise<LiveOffer[]> {
    const windows = candidates.flatMap((o) => (o.capWindowMs === null ? [] : [o.capWindowMs]));
    const capped = candidates.some((o) => o.capWindowMs !== null || o.def.caps?.neverAfterRedeemed);
    const history =
      profileId && capped ? await capHistory(db, ws, profileId, now - Math.max(0, ...windows)) : [];
    const out: LiveOffer[] = [];
    for (const o of candidates) {
      const why = exclusion(o, person, consent, channel, now, history);
      if (why) reasons.push(`excluded:${o.id}:${why}`);
      else out.push(o);
    }
    // Highest priority first: the order fixed policies and ties follow.
    return out.sort((a, b) => b.def.priority - a.def.priority);
  }

  private async commit(req: DecideRequest, offer: LiveOffer, row: DecisionRow): Promise<Outcome> {
    const needsTx = offer.def.codes || offer.def.budget !== undefined || row.dedupe_key !== null;
    if (!needsTx) {
      if (req.tx) await req.tx.insertInto('decisions').values(row).execute();
      else await this.writer.write(row);
      return { kind: 'ok', row };
    }
    const store = req.tx ? storeInTransaction(this.store, req.tx) : this.store;
    return withRetriedTransaction(store, async (tx): Promise<Outcome> => {
      if (row.dedupe_key) {
        const existing = await decisionByKey(tx, row.workspace_id, row.dedupe_key);
        if (existing) return { kind: 'existing', row: existing };
      }
      const budgeted = offer.def.budget !== undefined;
      if (budgeted && !(await spendBudget(tx, row.workspace_id, offer.id, offer.def.value)))
        return { kind: 'budget' };
      let code: string | null = null;
      if (offer.def.codes) {
        const held = row.profile_id
          ? await codeOf(tx, row.workspace_id, offer.id, row.profile_id)
          : null;
        code =
          held?.code ??
          (await claimCode(
            this.store,
            tx,
            row.workspace_id,
            offer.id,
            row.profile_id ?? null,
            row.id,
            row.created_at,
          ));
        if (code === null) {
          // Out of codes: give back what was just spent, in this same transaction (which
          // may be a journey step's, so it cannot simply be rolled back).
          if (budgeted) await refundBudget(tx, row.workspace_id, offer.id, offer.def.value);
          return { kind: 'no_codes' };
        }
      }
      const done = { ...row, code };
      await tx.insertInto('decisions').values(done).execute();
      return { kind: 'ok', row: done };
    });
  }

  private async fallback(
    snap: Snapshot,
    placement: LivePlacement,
    req: DecideRequest,
    profileId: string | null,
    context: Record<string, unknown>,
    now: number,
    reasons: string[],
    holdout: boolean,
  ): Promise<DecideResult> {
    const offer = snap.offers.get(placement.def.default);
    const row = decisionRow(req, placement, profileId, now, {
      offer_id: placement.def.default,
      offer_version: offer?.version ?? 0,
      policy_kind: placement.policy.kind,
      propensity: 1,
      // Empty: the policy did not choose; the learner and evaluation leave the row out.
      distribution: '{}',
      features: '{}',
      context: JSON.stringify(context),
      reasons: JSON.stringify(reasons),
      holdout: holdout ? 1 : 0,
      learned_at: now,
    });
    if (req.dedupeKey) {
      const store = req.tx ? storeInTransaction(this.store, req.tx) : this.store;
      const existing = await withRetriedTransaction(store, async (tx) => {
        const found = await decisionByKey(tx, req.workspaceId, req.dedupeKey!);
        if (!found) await tx.insertInto('decisions').values(row).execute();
        return found;
      });
      if (existing) return resultOf(snap, existing);
    } else if (req.tx) await req.tx.insertInto('decisions').values(row).execute();
    else await this.writer.write(row);
    return {
      decisionId: row.id,
      placement: placement.id,
      offer: view(offer, null),
      propensity: 1,
      policy: { kind: placement.policy.kind, version: placement.version },
      version: row.offer_version,
      holdout,
      reasons,
    };
  }

  private answer(
    placement: LivePlacement,
    offer: LiveOffer,
    row: DecisionRow,
    choice: Choice,
    reasons: string[],
  ): DecideResult {
    return {
      decisionId: row.id,
      placement: placement.id,
      offer: view(offer, row.code ?? null),
      propensity: choice.propensity,
      policy: { kind: row.policy_kind, version: placement.version },
      version: offer.version,
      holdout: false,
      reasons,
    };
  }
}

/** A decision as logged: what every row shares (no code and no reward yet) plus `fields`. */
function decisionRow(
  req: DecideRequest,
  placement: LivePlacement,
  profileId: string | null,
  now: number,
  fields: Pick<
    DecisionRow,
    | 'offer_id'
    | 'offer_version'
    | 'policy_kind'
    | 'propensity'
    | 'distribution'
    | 'features'
    | 'context'
    | 'reasons'
    | 'holdout'
    | 'learned_at'
  >,
): DecisionRow {
  return {
    id: newId('dec'),
    workspace_id: req.workspaceId,
    profile_id: profileId,
    placement_id: placement.id,
    policy_version: placement.version,
    code: null,
    dedupe_key: req.dedupeKey ?? null,
    created_at: now,
    attribution_ends_at: now + placement.attributionMs,
    clicked_at: null,
    converted_at: null,
    redeemed_at: null,
    ...fields,
  };
}
