import type { Kysely } from 'kysely';
import { z } from 'zod';
import { eventsOfPeople, type LoggedEvent } from '../profiles/index.js';
import { isoDurationMs } from '../shared/index.js';
import type { Database } from '../store/index.js';
import { compareArms, type Unit } from './compare-arms.js';
import {
  ATTRIBUTION_RULES,
  DEFAULT_CONVERSION_EVENT,
  GLOBAL_CONTROL_ID,
  type Experiment,
} from './experiment.js';
import { findExperiment, getExperiment, globalControlExperiment } from './experiments-repo.js';

const DAY = 86_400_000;
/** The pre-period of CUPED's covariate: conversion revenue in the 30 days before exposure. */
const PRE_PERIOD = 30 * DAY;

/** A conversion event's revenue: `revenue`, else `total`, else `value` (Segment's e-commerce spec). */
export function revenueOf(e: Pick<LoggedEvent, 'properties'>): number {
  const p = e.properties;
  for (const k of ['revenue', 'total', 'value'])
    if (typeof p[k] === 'number' && Number.isFinite(p[k])) return p[k];
  return 0;
}

/**
 * Turns assignments and conversion events into report units: converted when a
 * conversion event falls in (first exposure, first exposure + window]; its revenue summed
 * over the window; the 30 days before exposure give the covariate.
 */
export function unitsOf(
  assignments: readonly { profileId: string; arm: string; assignedAt: number }[],
  events: ReadonlyMap<string, readonly Pick<LoggedEvent, 'timestamp' | 'properties'>[]>,
  windowMs: number,
): Unit[] {
  return assignments.map((a) => {
    let convertedAt: number | null = null;
    let revenue = 0;
    let preRevenue = 0;
    for (const e of events.get(a.profileId) ?? []) {
      if (e.timestamp > a.assignedAt && e.timestamp <= a.assignedAt + windowMs) {
        convertedAt ??= e.timestamp;
        revenue += revenueOf(e);
      } else if (e.timestamp <= a.assignedAt && e.timestamp > a.assignedAt - PRE_PERIOD) {
        preRevenue += revenueOf(e);
      }
    }
    return { arm: a.arm, assignedAt: a.assignedAt, convertedAt, revenue, preRevenue };
  });
}

export async function assignmentsOf(
  db: Kysely<Database>,
  workspaceId: string,
  experimentId: string,
) {
  const out: { profileId: string; arm: string; assignedAt: number }[] = [];
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('experiment_assignments')
      .select(['profile_id', 'arm', 'assigned_at'])
      .where('workspace_id', '=', workspaceId)
      .where('experiment_id', '=', experimentId)
      .where('profile_id', '>', after)
      .orderBy('profile_id')
      .limit(5000)
      .execute();
    if (rows.length === 0) return out;
    after = rows[rows.length - 1]!.profile_id;
    for (const r of rows)
      out.push({ profileId: r.profile_id, arm: r.arm, assignedAt: r.assigned_at });
  }
}

const Pair = z.tuple([z.number().nullable(), z.number().nullable()]).nullable();
const Est = z.object({ value: z.number().nullable(), ci: Pair });
export const ExperimentReport = z.object({
  experiment: z.object({
    id: z.string(),
    kind: z.string(),
    subjectId: z.string(),
    name: z.string(),
    controlArm: z.string(),
    conversionEvent: z.string(),
    attributionWindow: z.string(),
  }),
  at: z.string(),
  arms: z.array(
    z.object({
      arm: z.string(),
      people: z.number().int(),
      conversions: z.number().int(),
      conversionRate: z.number().nullable(),
      revenue: z.number().nullable(),
      revenuePerPerson: z.number().nullable(),
    }),
  ),
  comparisons: z.array(
    z.object({
      arm: z.string(),
      against: z.string(),
      conversion: z.object({
        lift: Est.extend({ fieller: Pair }),
        difference: Est,
        pValue: z.number().nullable(),
      }),
      revenuePerPerson: z
        .object({ difference: Est, lift: Est, pValue: z.number().nullable() })
        .nullable(),
      cuped: z
        .object({
          covariate: z.string(),
          difference: Est,
          lift: Est,
          varianceReduction: z.number().nullable(),
          pValue: z.number().nullable(),
        })
        .nullable(),
      sequential: z.object({
        looks: z.number().int(),
        pValue: z.number().nullable(),
        ci: Pair,
        significant: z.boolean(),
      }),
    }),
  ),
  srm: z
    .object({
      expectedShares: z.array(z.object({ arm: z.string(), weight: z.number() })),
      observed: z.array(z.number().int()),
      chiSquare: z.number().nullable(),
      pValue: z.number().nullable(),
      threshold: z.number(),
      mismatch: z.boolean(),
    })
    .nullable(),
});
export type ExperimentReport = z.infer<typeof ExperimentReport>;

export async function reportOf(
  db: Kysely<Database>,
  workspaceId: string,
  e: Experiment,
  now: number,
): Promise<ExperimentReport> {
  const assignments = await assignmentsOf(db, workspaceId, e.id);
  const windowMs = isoDurationMs(e.attributionWindow, ATTRIBUTION_RULES);
  const earliest = assignments.reduce((m, a) => Math.min(m, a.assignedAt), now);
  const events = await eventsOfPeople(
    db,
    assignments.map((a) => a.profileId),
    { names: [e.conversionEvent], after: earliest - PRE_PERIOD },
  );
  const units = unitsOf(assignments, events, windowMs);
  return {
    experiment: {
      id: e.id,
      kind: e.kind,
      subjectId: e.subjectId,
      name: e.name,
      controlArm: e.controlArm,
      conversionEvent: e.conversionEvent,
      attributionWindow: e.attributionWindow,
    },
    at: new Date(now).toISOString(),
    ...compareArms(e.arms, e.controlArm, units, now, e.id),
  };
}

/** `GET /v1/experiments/{id}/report`. */
export async function experimentReport(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  now: number,
): Promise<ExperimentReport> {
  return reportOf(db, workspaceId, await getExperiment(db, workspaceId, id), now);
}

/**
 * `GET /v1/reports/program`: everyone who was due a marketing message and is outside the
 * global control group (treatment) against the group (control). Before anyone was, the
 * report has no people.
 */
export async function programReport(
  db: Kysely<Database>,
  workspaceId: string,
  percent: number,
  now: number,
): Promise<ExperimentReport> {
  const stored = await findExperiment(db, workspaceId, GLOBAL_CONTROL_ID);
  const fallback = globalControlExperiment(workspaceId, Math.max(percent, 0));
  const e: Experiment = stored ?? {
    ...fallback,
    conversionEvent: DEFAULT_CONVERSION_EVENT,
    attributionWindow: fallback.attributionWindow ?? 'P30D',
    implicit: true,
    createdAt: new Date(now).toISOString(),
    updatedAt: new Date(now).toISOString(),
  };
  return reportOf(db, workspaceId, e, now);
}
