import type { Kysely } from 'kysely';
import { z } from 'zod';
import { UpliftScorer } from '../profiles/index.js';
import { decodeJson } from '../shared/index.js';
import type { Database } from '../store/index.js';

const Arm = z.object({ people: z.number().int(), conversions: z.number().int() });
export const UpliftSample = z.object({ treated: Arm, control: Arm });
export type UpliftSample = z.infer<typeof UpliftSample>;

export const UpliftMetrics = z.object({
  ate: z.object({ value: z.number(), ci: z.tuple([z.number(), z.number()]) }),
  folds: z.number().int(),
  qini: z.number(),
  auuc: z.number(),
  upliftAt: z.object({
    '10': z.number().nullable(),
    '20': z.number().nullable(),
    '30': z.number().nullable(),
  }),
});
export type UpliftMetrics = z.infer<typeof UpliftMetrics>;

/** `GET /v1/journeys/{id}/uplift`: the journey's uplift model and its latest training. */
export const UpliftStatus = z.object({
  journeyId: z.string(),
  trait: z.string().describe('the computed trait that carries the score: uplift.<journey id>'),
  status: z
    .enum(['untrained', 'trained', 'insufficient_data', 'failed'])
    .describe('the latest attempt; a model trained before keeps serving after a failed one'),
  detail: z.string(),
  sample: UpliftSample.nullable(),
  metrics: UpliftMetrics.nullable().describe('held-out (cross-fitted) scores of the model'),
  serving: z.boolean().describe('a trained model scores people now'),
  attemptedAt: z.string().nullable(),
  trainedAt: z.string().nullable(),
});
export type UpliftStatus = z.infer<typeof UpliftStatus>;

export interface UpliftAttempt {
  status: 'trained' | 'insufficient_data' | 'failed';
  detail: string;
  sample: UpliftSample;
  metrics: UpliftMetrics | null;
  /** Replaces the serving scorer when given; kept otherwise. */
  scorer: UpliftScorer | null;
}

export const upliftTrait = (journeyId: string) => `uplift.${journeyId}`;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Records an attempt; a failed or short one keeps the scorer that already serves. */
export async function saveUpliftAttempt(
  db: Kysely<Database>,
  workspaceId: string,
  journeyId: string,
  a: UpliftAttempt,
  now: number,
): Promise<void> {
  const values = {
    status: a.status,
    detail: a.detail,
    sample: JSON.stringify(a.sample),
    attempted_at: now,
    ...(a.metrics ? { metrics: JSON.stringify(a.metrics) } : {}),
    ...(a.scorer ? { scorer: JSON.stringify(a.scorer), trained_at: now } : {}),
  };
  await db
    .insertInto('uplift_models')
    .values({ workspace_id: workspaceId, journey_id: journeyId, ...values })
    .onConflict((oc) => oc.columns(['workspace_id', 'journey_id']).doUpdateSet(values))
    .execute();
}

export async function upliftStatus(
  db: Kysely<Database>,
  workspaceId: string,
  journeyId: string,
): Promise<UpliftStatus> {
  const row = await db
    .selectFrom('uplift_models')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('journey_id', '=', journeyId)
    .executeTakeFirst();
  const base = { journeyId, trait: upliftTrait(journeyId) };
  if (!row)
    return {
      ...base,
      status: 'untrained',
      detail: 'not trained yet: the background job trains each journey with a holdout daily',
      sample: null,
      metrics: null,
      serving: false,
      attemptedAt: null,
      trainedAt: null,
    };
  const sample = decodeJson(UpliftSample, row.sample);
  const metrics = row.metrics === null ? null : decodeJson(UpliftMetrics, row.metrics);
  const status = z.enum(['trained', 'insufficient_data', 'failed']).safeParse(row.status);
  return {
    ...base,
    status: status.success ? status.data : 'failed',
    detail: row.detail,
    sample: sample.kind === 'ok' ? sample.value : null,
    metrics: metrics?.kind === 'ok' ? metrics.value : null,
    serving: row.scorer !== null,
    attemptedAt: iso(row.attempted_at),
    trainedAt: iso(row.trained_at),
  };
}

/** The scorers that serve, by journey id (read with the workspace model: ModelCache). */
export async function loadUpliftScorers(
  db: Kysely<Database>,
  workspaceId: string,
): Promise<Record<string, UpliftScorer>> {
  const rows = await db
    .selectFrom('uplift_models')
    .select(['journey_id', 'scorer'])
    .where('workspace_id', '=', workspaceId)
    .where('scorer', 'is not', null)
    .execute();
  const out: Record<string, UpliftScorer> = {};
  for (const r of rows) {
    const s = decodeJson(UpliftScorer, r.scorer!);
    // An unreadable scorer serves nothing rather than a wrong score.
    if (s.kind === 'ok')
      Object.defineProperty(out, r.journey_id, { value: s.value, enumerable: true });
  }
  return out;
}

/** When each journey's model was last attempted (the background job's schedule). */
export async function upliftAttempts(
  db: Kysely<Database>,
  workspaceId: string,
): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('uplift_models')
    .select(['journey_id', 'attempted_at'])
    .where('workspace_id', '=', workspaceId)
    .execute();
  return new Map(rows.map((r) => [r.journey_id, r.attempted_at]));
}
