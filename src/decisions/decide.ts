import type { Kysely } from 'kysely';
import type { CommittedHook, ModelCache } from '../profiles/index.js';
import { findProfileId } from '../profiles/index.js';
import { TtlCache, ValidationError, type Clock, type Random } from '../shared/index.js';
import type { Database, Store, Tx } from '../store/index.js';
import { chooseFrom, distribution, isContextFree } from './core/policy.js';
import type { ActionDistribution, Choice, PolicyConfig } from './core/types.js';
import { capHistory, decisionByKey, DecisionWriter } from './decision-log.js';
import type { DecideResult } from './decision.js';
import { commitDecision, decisionRow, type CommitTarget } from './decide-commit.js';
import { answerOf, fallbackDecision, variantDecision } from './decide-answers.js';
import { buildFeatures } from './features.js';
import type { OfferChannel } from './offer.js';
import { loadPerson, PersonCache, type DecisionPerson } from './person.js';
import { bucket, exclusion, resultOf, type ConsentView } from './decide-parts.js';
import { Snapshots, type LiveOffer, type LivePlacement } from './snapshot.js';

export type ConsentLookup = (
  db: Kysely<Database>,
  workspaceId: string,
  profileId: string | null,
) => Promise<ConsentView>;

/** A person's arm in a placement's experiment (its holdout, or one made with POST /v1/experiments). */
export interface PlacementArm {
  experimentId: string;
  arm: string;
  /** The control arm: the placement's default, as a holdout. */
  control: boolean;
  /** An arm that names an offer shows it; otherwise the policy chooses. */
  offer?: string | undefined;
}

/**
 * The measurement module's assignment, given by the composition root: the person's arm,
 * recorded at this first exposure (a stable hash, the same in every process), or null
 * when the placement is no experiment. Without it, the holdout is a hash bucket here.
 */
export type PlacementArms = (
  db: Kysely<Database>,
  workspaceId: string,
  placement: { id: string; holdoutPercent: number; default: string },
  person: { profileId: string | null; otherId: string | undefined },
  now: number,
  /** False for a preview: read the arm a person has or would get, record nothing. */
  record: boolean,
) => Promise<PlacementArm | null>;

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
  /** The id to log the decision under (a journey step knows it before deciding). */
  decisionId?: string;
  /** Decide inside this transaction (a journey step in the pipeline's). */
  tx?: Tx;
  /**
   * A preview (the dashboard's): choose exactly as a decision would, but log nothing,
   * spend no budget, claim no code and record no experiment arm.
   */
  dryRun?: boolean;
}

export interface DecisionServiceOptions {
  random?: Random;
  arms?: PlacementArms;
}

/** What `decide` learned on the way, for what it keeps after answering. */
interface Seen {
  profileId?: string | null;
  now?: number;
  history?: CapHistory;
}

/** A person's decisions that caps count, of the capped offers in `capped`. */
interface CapHistory {
  capped: Set<string>;
  rows: { offer_id: string; created_at: number; redeemed_at: number | null }[];
}

/** How long a person's cap history serves decisions before it is read again. */
const HISTORY_TTL_MS = 2_000;

/** Distributions of context-free policies, per placement state and candidate set. */
const MAX_DISTRIBUTIONS = 64;

export class DecisionService {
  readonly snapshots: Snapshots;
  private readonly writer: DecisionWriter;
  private readonly people: TtlCache<string | null>;
  private readonly persons: PersonCache;
  private readonly histories: TtlCache<CapHistory>;
  private readonly random: Random;
  private readonly arms: PlacementArms | undefined;
  private readonly dists = new WeakMap<LivePlacement, Map<string, ActionDistribution>>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly models: ModelCache,
    private readonly consent: ConsentLookup,
    options: DecisionServiceOptions | Random = {},
  ) {
    const o = typeof options === 'function' ? { random: options } : options;
    this.random = o.random ?? Math.random;
    this.arms = o.arms;
    this.snapshots = new Snapshots(store.db, clock);
    this.writer = new DecisionWriter(store);
    this.people = new TtlCache(clock, 5_000);
    this.persons = new PersonCache(clock);
    this.histories = new TtlCache(clock, HISTORY_TTL_MS, 20_000);
  }

  async close(): Promise<void> {
    await this.writer.close();
  }

  /** People whose profile this process's pipeline changed: decide reads them afresh. */
  readonly onCommitted: CommittedHook = (changes) => {
    for (const c of changes) {
      this.persons.forget(c.workspaceId, c.profileId);
      this.histories.delete(`${c.workspaceId}\u0000${c.profileId}`);
      for (const m of c.merged) {
        this.persons.forget(c.workspaceId, m);
        this.histories.delete(`${c.workspaceId}\u0000${m}`);
      }
    }
  };

  async decide(req: DecideRequest): Promise<DecideResult> {
    const seen: Seen = {};
    const result = await this.decideOnce(req, seen);
    // A shown offer counts against its caps at this process's next decision for the person
    // (a preview showed nothing).
    if (seen.profileId && !result.holdout && result.offer && req.dryRun !== true) {
      const key = `${req.workspaceId}\u0000${seen.profileId}`;
      const h = seen.history;
      if (h && !req.tx) {
        if (h.capped.has(result.offer.id))
          h.rows.push({ offer_id: result.offer.id, created_at: seen.now!, redeemed_at: null });
      } else this.histories.delete(key);
    }
    return result;
  }

  private async decideOnce(req: DecideRequest, seen: Seen): Promise<DecideResult> {
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
    seen.profileId = profileId;
    seen.now = now;
    const target: CommitTarget = {
      store: this.store,
      writer: this.writer,
      tx: req.tx,
      dryRun: req.dryRun,
    };
    const arm = await this.armOf(db, ws, placement, profileId, req, now);
    // The arm is recorded with the experiment (measurement); the control arm is the holdout.
    if (arm?.control)
      return fallbackDecision(target, snap, placement, req, profileId, context, now, ['holdout']);
    if (arm?.offer !== undefined) {
      const shown = await variantDecision(
        target,
        snap,
        placement,
        req,
        profileId,
        context,
        now,
        arm,
      );
      if (shown) return shown;
    }

    const candidates = placement.def.candidates.flatMap((id) => {
      const o = snap.offers.get(id);
      return o ? [o] : [];
    });
    const reasons: string[] = placement.def.candidates
      .filter((id) => !snap.offers.has(id))
      .map((id) => `excluded:${id}:gone`);
    const consent = await this.consent(db, ws, profileId);
    const person = await this.person(db, ws, profileId, candidates, context, now, req.tx);
    const history = await this.historyOf(db, ws, profileId, candidates, now, req.tx);
    seen.history = history;
    let eligible = this.eligible(candidates, person, consent, req, now, reasons, history.rows);
    const personalized = consent.personalized;
    if (!personalized) reasons.push('not_personalized');
    const features = personalized ? buildFeatures(person.computed, context, now) : {};
    while (eligible.length > 0) {
      const config: PolicyConfig = personalized
        ? placement.policy
        : { kind: 'fixed', order: eligible.map((o) => o.id) };
      const choice = this.choose(placement, config, eligible, features, personalized);
      const offer = eligible.find((o) => o.id === choice.action)!;
      const why = [`policy:${config.kind}`, ...reasons];
      const row = decisionRow(req, placement, profileId, now, {
        offer_id: offer.id,
        offer_version: offer.version,
        policy_kind: config.kind,
        propensity: choice.propensity,
        distribution: JSON.stringify(choice.distribution),
        features: JSON.stringify(features),
        context: JSON.stringify(context),
        reasons: JSON.stringify(why),
        holdout: 0,
        learned_at: null,
      });
      const outcome = await commitDecision(target, offer, row);
      if (outcome.kind === 'existing') return resultOf(snap, outcome.row);
      if (outcome.kind === 'ok')
        return answerOf(
          placement,
          offer,
          outcome.row.id,
          outcome.row.code ?? null,
          choice,
          why,
          config.kind,
        );
      if (outcome.kind === 'budget') offer.exhausted = true;
      reasons.push(`excluded:${offer.id}:${outcome.kind}`);
      eligible = eligible.filter((o) => o !== offer);
    }
    return fallbackDecision(target, snap, placement, req, profileId, context, now, [
      'no_eligible_offer',
      ...reasons,
    ]);
  }

  private choose(
    placement: LivePlacement,
    config: PolicyConfig,
    eligible: readonly LiveOffer[],
    features: Record<string, number>,
    personalized: boolean,
  ): Choice {
    const actions = eligible.map((o) => o.id);
    if (!personalized || !isContextFree(config))
      return chooseFrom(
        distribution(config, placement.state, actions, { features }, this.random),
        actions,
        this.random,
      );
    // The placement object is replaced when its state changes, so the cache follows it.
    let byActions = this.dists.get(placement);
    if (!byActions) this.dists.set(placement, (byActions = new Map<string, ActionDistribution>()));
    const key = actions.join('\u0000');
    let dist = byActions.get(key);
    if (!dist) {
      dist = distribution(config, placement.state, actions, { features }, this.random);
      if (byActions.size >= MAX_DISTRIBUTIONS) byActions.clear();
      byActions.set(key, dist);
    }
    return chooseFrom(dist, actions, this.random);
  }

  private async armOf(
    db: Kysely<Database>,
    ws: string,
    placement: LivePlacement,
    profileId: string | null,
    req: DecideRequest,
    now: number,
  ): Promise<PlacementArm | null> {
    const otherId = req.userId ?? req.anonymousId;
    if (this.arms)
      return this.arms(
        db,
        ws,
        {
          id: placement.id,
          holdoutPercent: placement.def.holdoutPercent,
          default: placement.def.default,
        },
        { profileId, otherId },
        now,
        req.dryRun !== true,
      );
    const pct = placement.def.holdoutPercent;
    if (pct <= 0) return null;
    const who = profileId ?? otherId;
    const held =
      (who === undefined ? this.random() * 100 : bucket(`${placement.id}\u0000${who}`)) < pct;
    return {
      experimentId: `placement:${placement.id}`,
      arm: held ? 'control' : 'treatment',
      control: held,
    };
  }

  private async person(
    db: Kysely<Database>,
    ws: string,
    profileId: string | null,
    candidates: readonly LiveOffer[],
    context: Record<string, unknown>,
    now: number,
    tx: Tx | undefined,
  ): Promise<DecisionPerson> {
    // Inside a transaction (a journey step) the facts are read through it, fresh.
    if (tx || !profileId)
      return loadPerson(db, this.models, ws, profileId, candidates, context, now);
    return this.persons.get(db, this.models, ws, profileId, candidates, context, now);
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

  /**
   * The person's decisions of the capped candidates that caps can still count, read once
   * and kept for a couple of seconds with this process's own decisions added as they are
   * made (see `decide`): one read serves a burst of decisions for the person. This
   * process's pipeline forgets the person when their profile changes (a redemption);
   * decisions another process makes are counted within the TTL. In a transaction (a
   * journey step) it is read afresh through it.
   */
  private async historyOf(
    db: Kysely<Database>,
    ws: string,
    profileId: string | null,
    candidates: readonly LiveOffer[],
    now: number,
    tx: Tx | undefined,
  ): Promise<CapHistory> {
    const capped = candidates
      .filter((o) => o.capWindowMs !== null || o.def.caps?.neverAfterRedeemed)
      .map((o) => o.id);
    if (!profileId || capped.length === 0) return { capped: new Set(), rows: [] };
    const windows = candidates.flatMap((o) => (o.capWindowMs === null ? [] : [o.capWindowMs]));
    const since = now - Math.max(0, ...windows);
    const read = async (): Promise<CapHistory> => ({
      capped: new Set(capped),
      rows: await capHistory(db, ws, profileId, capped, since),
    });
    if (tx) return read();
    const key = `${ws}\u0000${profileId}`;
    const cached = await this.histories.get(key, read);
    // Read for another set of capped offers (another placement): read for this one.
    if (capped.every((id) => cached.capped.has(id))) return cached;
    this.histories.delete(key);
    return this.histories.get(key, read);
  }

  private eligible(
    candidates: LiveOffer[],
    person: DecisionPerson,
    consent: ConsentView,
    req: DecideRequest,
    now: number,
    reasons: string[],
    history: CapHistory['rows'],
  ): LiveOffer[] {
    const out: LiveOffer[] = [];
    for (const o of candidates) {
      const why = exclusion(o, person, consent, req.channel, now, history);
      if (why) reasons.push(`excluded:${o.id}:${why}`);
      else out.push(o);
    }
    // Highest priority first: the order fixed policies and ties follow.
    return out.sort((a, b) => b.def.priority - a.def.priority);
  }
}
