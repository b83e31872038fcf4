import type { RunsSavedHook } from '../journeys/index.js';
import type { PipelineStage } from '../profiles/index.js';
import type { Clock } from '../shared/index.js';
import { followMerges, recordExposures, type Exposure } from './assignments.js';
import {
  ensureExperiment,
  journeyExperiment,
  stepExperiment,
  type ImplicitExperiment,
} from './experiments-repo.js';

const ARM = /^arm:(\d+)$/;

/**
 * Records journeys' exposures as the journeys stage saves runs (`onRunsSaved`), in the
 * same transaction: a run of a journey with a holdout assigns its person to the
 * journey's experiment (control when held out) at the run's entry; a split step taken
 * assigns them to the step's experiment at the visit. The experiment rows are created on
 * first use. Only a person's first record counts, so later runs change nothing.
 */
export function journeyExposureHook(clock: Clock): RunsSavedHook {
  // Experiments known to exist with these arms, so a busy journey does not upsert its
  // row with every batch. Per process; a miss only costs one no-op upsert.
  const ensured = new Set<string>();
  return async (tx, workspaceId, runs) => {
    const exposures: Exposure[] = [];
    const needed = new Map<string, ImplicitExperiment>();
    for (const { run, definition: def } of runs) {
      if (def.holdoutPercent > 0) {
        const e = journeyExperiment(def.id, def.name, def.holdoutPercent);
        needed.set(e.id, e);
        exposures.push({
          workspaceId,
          experimentId: e.id,
          profileId: run.profileId,
          arm: run.holdout ? 'control' : 'treatment',
          at: run.enteredAt,
        });
      }
      for (const h of run.history) {
        const arm = ARM.exec(h.outcome);
        const step = def.steps.find((s) => s.id === h.stepId);
        if (!arm || step?.type !== 'split') continue;
        const e = stepExperiment(def.id, step.id, step.arms);
        needed.set(e.id, e);
        exposures.push({
          workspaceId,
          experimentId: e.id,
          profileId: run.profileId,
          arm: h.outcome,
          at: h.at,
        });
      }
    }
    const now = clock.now();
    for (const e of needed.values()) {
      const key = `${workspaceId}\u0000${e.id}\u0000${JSON.stringify(e.arms)}`;
      if (ensured.has(key)) continue;
      await ensureExperiment(tx, workspaceId, e, now);
      ensured.add(key);
    }
    if (exposures.length > 0) await recordExposures(tx, exposures);
  };
}

/**
 * A pipeline stage that moves the assignments of merged profiles to the profile they
 * merged into, keeping each experiment's earliest exposure (see `followMerges`).
 */
export const experimentMergeStage: PipelineStage = {
  name: 'experiments',
  async run(tx, changes) {
    for (const c of changes)
      if (c.merged.length > 0) await followMerges(tx, c.workspaceId, c.profileId, c.merged);
    return changes;
  },
};
