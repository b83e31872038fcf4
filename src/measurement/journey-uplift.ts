// In-product uplift: a journey with a holdout trains a T-learner on its own people, the
// treated against the held out, features their computed traits as they stood when they
// entered, outcome the journey experiment's conversion within its attribution window.
// The scorer is stored (uplift_models) and read with the workspace model, so every
// profile carries `uplift.<journey id>` (profiles/computed/uplift-trait.ts).

import type { Kysely } from 'kysely';
import { getJourney } from '../journeys/index.js';
import {
  encodeUplift,
  eventsOfPeople,
  OTHER_LEVEL,
  traitsAsOf,
  UPLIFT_FEATURES,
  UPLIFT_FEATURE_NAMES,
  upliftFeatures,
  type ModelCache,
  type UpliftScorer,
} from '../profiles/index.js';
import { ConflictError, isoDurationMs } from '../shared/index.js';
import type { Database } from '../store/index.js';
import { evaluateUpliftDesign } from './core/uplift/cross-fit.js';
import { fitTLearner, tLearner } from './core/uplift/models.js';
import { ATTRIBUTION_RULES } from './experiment.js';
import { allExperiments, findExperiment, journeyExperimentId } from './experiments-repo.js';
import { assignmentsOf } from './report.js';
import {
  saveUpliftAttempt,
  upliftAttempts,
  upliftStatus,
  type UpliftMetrics,
  type UpliftSample,
  type UpliftStatus,
} from './uplift-models-repo.js';

/** Fewest people, and conversions, in each arm (windows closed) before a model is fitted. */
export const UPLIFT_MIN_PEOPLE = 200;
export const UPLIFT_MIN_CONVERSIONS = 10;
/** The most recent people trained on: bounds the time and memory of one training. */
export const UPLIFT_MAX_PEOPLE = 20_000;
/** Categorical features keep their most frequent values; the rest become `other`. */
const MAX_LEVELS = 20;
const MIN_LEVEL_COUNT = 5;
const FOLDS = 5;
const CHUNK = 500;

type Features = Record<string, number | string>;

/** Standardisation of the numbers, and the levels kept of each label, learnt on the rows. */
function learnColumns(rows: readonly Features[]): UpliftScorer['columns'] {
  return UPLIFT_FEATURE_NAMES.map((name) => {
    if (UPLIFT_FEATURES[name] === 'numeric') {
      const xs = rows.map((r) => Number(r[name]));
      const mean = xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
      const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(1, xs.length));
      return { name, kind: 'numeric' as const, mean, sd: sd > 1e-12 ? sd : 1 };
    }
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(String(r[name]), (counts.get(String(r[name])) ?? 0) + 1);
    const kept = [...counts]
      .filter(([v, n]) => n >= MIN_LEVEL_COUNT && v !== OTHER_LEVEL)
      .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
      .slice(0, MAX_LEVELS)
      .map(([v]) => v)
      .sort();
    return { name, kind: 'categorical' as const, levels: [...kept, OTHER_LEVEL] };
  });
}

interface Row {
  features: Features;
  treated: boolean;
  converted: number;
}

/** The journey's people whose window has closed, with pre-entry features and outcome. */
async function trainingRows(
  db: Kysely<Database>,
  models: ModelCache,
  workspaceId: string,
  experiment: { id: string; conversionEvent: string; attributionWindow: string },
  now: number,
): Promise<Row[]> {
  const windowMs = isoDurationMs(experiment.attributionWindow, ATTRIBUTION_RULES);
  const people = (await assignmentsOf(db, workspaceId, experiment.id))
    .filter((a) => a.assignedAt + windowMs <= now)
    .sort((a, b) => b.assignedAt - a.assignedAt || (a.profileId < b.profileId ? -1 : 1))
    .slice(0, UPLIFT_MAX_PEOPLE);
  const model = await models.get(workspaceId);
  const rows: Row[] = [];
  for (let i = 0; i < people.length; i += CHUNK) {
    const chunk = people.slice(i, i + CHUNK);
    const events = await eventsOfPeople(
      db,
      chunk.map((a) => a.profileId),
    );
    for (const a of chunk) {
      const own = (events.get(a.profileId) ?? []).filter((e) => e.workspaceId === workspaceId);
      const converted = own.some(
        (e) =>
          e.event === experiment.conversionEvent &&
          e.timestamp > a.assignedAt &&
          e.timestamp <= a.assignedAt + windowMs,
      );
      rows.push({
        features: upliftFeatures(traitsAsOf(own, a.assignedAt, model)),
        treated: a.arm !== 'control',
        converted: converted ? 1 : 0,
      });
    }
  }
  return rows;
}

function sampleOf(rows: readonly Row[]): UpliftSample {
  const arm = (treated: boolean) => {
    const mine = rows.filter((r) => r.treated === treated);
    return { people: mine.length, conversions: mine.filter((r) => r.converted === 1).length };
  };
  return { treated: arm(true), control: arm(false) };
}

function shortOf(s: UpliftSample): string | null {
  const missing = (['treated', 'control'] as const).flatMap((k) =>
    s[k].people < UPLIFT_MIN_PEOPLE || s[k].conversions < UPLIFT_MIN_CONVERSIONS
      ? [`${k} ${s[k].people} people (${s[k].conversions} converted)`]
      : [],
  );
  if (missing.length === 0) return null;
  return `needs at least ${UPLIFT_MIN_PEOPLE} people and ${UPLIFT_MIN_CONVERSIONS} conversions in each arm whose attribution window has closed; has ${missing.join(', ')}`;
}

const r6 = (x: number) => Number(x.toFixed(6));

/**
 * Trains the uplift model of one journey now and records the attempt. A journey
 * without a holdout is refused (nothing to compare with); too few people or conversions
 * is recorded as `insufficient_data`, and a model trained before keeps serving.
 */
export async function trainJourneyUplift(
  db: Kysely<Database>,
  models: ModelCache,
  workspaceId: string,
  journeyId: string,
  now: number,
): Promise<UpliftStatus> {
  const journey = await getJourney(db, workspaceId, journeyId);
  const experiment = await findExperiment(db, workspaceId, journeyExperimentId(journeyId));
  // The journey's state, not the request, is what stands in the way: 409, not 400.
  if (!experiment || journey.definition.holdoutPercent <= 0)
    throw new ConflictError(
      `Journey "${journeyId}" has no holdout: an uplift model learns from the people held out (set definition.holdoutPercent above 0).`,
      [{ path: 'definition.holdoutPercent', problem: 'must be above 0 to train an uplift model' }],
    );
  const rows = await trainingRows(db, models, workspaceId, experiment, now);
  const sample = sampleOf(rows);
  const short = shortOf(sample);
  if (short) {
    await saveUpliftAttempt(
      db,
      workspaceId,
      journeyId,
      { status: 'insufficient_data', detail: short, sample, metrics: null, scorer: null },
      now,
    );
    return upliftStatus(db, workspaceId, journeyId);
  }
  const columns = learnColumns(rows.map((r) => r.features));
  const design = {
    names: ['(intercept)'],
    x: rows.map((r) => encodeUplift(columns, r.features)),
    treated: rows.map((r) => r.treated),
    outcome: rows.map((r) => r.converted),
  };
  let metrics: UpliftMetrics;
  let scorer: UpliftScorer;
  try {
    const evaluation = evaluateUpliftDesign(design, { folds: FOLDS, seed: 1, models: [tLearner] });
    const scores = evaluation.models[tLearner.name]!;
    metrics = {
      ate: {
        value: r6(evaluation.ate.value),
        ci: [r6(evaluation.ate.ci[0]), r6(evaluation.ate.ci[1])],
      },
      folds: FOLDS,
      qini: r6(scores.qini),
      auuc: r6(scores.auuc),
      upliftAt: scores.uplift_at,
    };
    const fit = fitTLearner({
      x: design.x,
      treated: design.treated,
      y: design.outcome,
      binary: true,
    });
    scorer = {
      model: 't_learner',
      link: fit.link,
      columns,
      treated: [...fit.treated],
      control: [...fit.control],
      trained_at: now,
    };
  } catch (error) {
    const detail = `training failed: ${error instanceof Error ? error.message : String(error)}`;
    await saveUpliftAttempt(
      db,
      workspaceId,
      journeyId,
      { status: 'failed', detail, sample, metrics: null, scorer: null },
      now,
    );
    return upliftStatus(db, workspaceId, journeyId);
  }
  await saveUpliftAttempt(
    db,
    workspaceId,
    journeyId,
    {
      status: 'trained',
      detail: `trained on ${rows.length} people (${sample.treated.people} treated, ${sample.control.people} held out) whose ${experiment.attributionWindow} window for "${experiment.conversionEvent}" has closed`,
      sample,
      metrics,
      scorer,
    },
    now,
  );
  models.forget(workspaceId);
  return upliftStatus(db, workspaceId, journeyId);
}

/**
 * The journeys of a workspace with a holdout whose uplift model was last attempted at
 * least `everyMs` ago (or never): what the background job trains next.
 */
export async function journeysDueForUplift(
  db: Kysely<Database>,
  workspaceId: string,
  now: number,
  everyMs: number,
): Promise<string[]> {
  const attempts = await upliftAttempts(db, workspaceId);
  const due: string[] = [];
  for (const e of await allExperiments(db, workspaceId)) {
    if (e.kind !== 'journey') continue;
    if (now - (attempts.get(e.subjectId) ?? -Infinity) < everyMs) continue;
    const journey = await getJourney(db, workspaceId, e.subjectId).catch(() => null);
    if (journey && journey.definition.holdoutPercent > 0) due.push(e.subjectId);
  }
  return due;
}
