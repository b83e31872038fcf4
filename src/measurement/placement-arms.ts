import type { Kysely } from 'kysely';
import { TtlCache, type Clock } from '../shared/index.js';
import type { Database } from '../store/index.js';
import { armAt, assignArm, holdoutArms } from './assign.js';
import { assignmentOf, expose } from './assignments.js';
import type { Experiment } from './experiment.js';
import { ensureExperiment, experimentFor, type ImplicitExperiment } from './experiments-repo.js';

/** The id (and salt) of the experiment a placement's holdout implies. */
export const placementExperimentId = (placementId: string) => `placement:${placementId}`;

/** A placement's holdout as an experiment: `control` gets the default, `treatment` the policy. */
export function placementExperiment(
  placementId: string,
  percent: number,
  defaultOffer: string,
): ImplicitExperiment {
  const [control, treatment] = holdoutArms(percent);
  return {
    id: placementExperimentId(placementId),
    kind: 'placement',
    subjectId: placementId,
    name: `Placement ${placementId}: policy vs default`,
    salt: placementExperimentId(placementId),
    arms: [{ ...control!, variant: defaultOffer }, treatment!],
    controlArm: 'control',
  };
}

export interface PlacementArm {
  experimentId: string;
  arm: string;
  control: boolean;
  offer?: string | undefined;
}

type Subject = Pick<Experiment, 'id' | 'salt' | 'arms' | 'controlArm'>;

/**
 * Where decide gets a person's arm in a placement's experiment (the `arms` port of
 * `DecisionService`). The experiment is the one `POST /v1/experiments` made for the
 * placement, else the one its `holdoutPercent` implies (created on first use, its arms
 * following the share). The arm is the stable hash of the experiment's salt and the
 * person, recorded at this first exposure (`expose`: the first record wins in every
 * process); the control arm gets the placement's default, an arm naming an offer (its
 * `variant`) that offer, any other arm the policy. Someone without a profile is hashed
 * by the id they came with and not recorded. Experiments are re-read every 2 s and
 * recorded arms kept a minute: an arm never changes once recorded.
 */
export class PlacementAssignments {
  private readonly experiments: TtlCache<Experiment | null>;
  private readonly recorded: TtlCache<string>;
  private readonly ensured = new Set<string>();

  constructor(clock: Clock) {
    this.experiments = new TtlCache(clock, 2_000, 10_000);
    this.recorded = new TtlCache(clock, 60_000, 100_000);
  }

  readonly armOf = async (
    db: Kysely<Database>,
    workspaceId: string,
    placement: { id: string; holdoutPercent: number; default: string },
    person: { profileId: string | null; otherId: string | undefined },
    now: number,
    record = true,
  ): Promise<PlacementArm | null> => {
    const e = await this.experimentOf(db, workspaceId, placement, now, record);
    if (!e) return null;
    if (e === 'everyone')
      return { experimentId: placementExperimentId(placement.id), arm: 'control', control: true };
    let arm: string;
    if (person.profileId && !record) {
      // A preview: the recorded arm, else the one the first exposure would record.
      const known = await assignmentOf(db, workspaceId, e.id, person.profileId);
      arm = known?.arm ?? assignArm(e.salt, person.profileId, e.arms);
    } else if (person.profileId) {
      const profileId = person.profileId;
      arm = await this.recorded.get(`${workspaceId}\u0000${e.id}\u0000${profileId}`, () =>
        expose(db, workspaceId, e, profileId, now),
      );
    } else {
      arm = person.otherId
        ? assignArm(e.salt, person.otherId, e.arms)
        : armAt(e.arms, Math.random());
    }
    const control = arm === e.controlArm;
    const variant = e.arms.find((a) => a.name === arm)?.variant;
    return { experimentId: e.id, arm, control, ...(control ? {} : { offer: variant }) };
  };

  private async experimentOf(
    db: Kysely<Database>,
    workspaceId: string,
    placement: { id: string; holdoutPercent: number; default: string },
    now: number,
    record: boolean,
  ): Promise<Subject | 'everyone' | null> {
    const pct = placement.holdoutPercent;
    const found = await this.experiments.get(`${workspaceId}\u0000${placement.id}`, () =>
      experimentFor(db, workspaceId, 'placement', placement.id),
    );
    if (found && !found.implicit) return found;
    // No share, or everyone held out: no comparison to make, nothing to record.
    if (pct <= 0) return null;
    if (pct >= 100) return 'everyone';
    const implied = placementExperiment(placement.id, pct, placement.default);
    const key = `${workspaceId}\u0000${placement.id}\u0000${pct}\u0000${placement.default}`;
    if (record && !this.ensured.has(key)) {
      await ensureExperiment(db, workspaceId, implied, now);
      if (this.ensured.size >= 10_000) this.ensured.clear();
      this.ensured.add(key);
    }
    return implied;
  }
}
