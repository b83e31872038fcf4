import { z } from 'zod';
import { checkIsoDuration, type DurationRules } from '../shared/index.js';

export const ATTRIBUTION_RULES: DurationRules = {
  maxMs: 365 * 86_400_000,
  maxText: '1 year (P365D)',
  allowZero: false,
};
export const DEFAULT_CONVERSION_EVENT = 'Order Completed';
export const DEFAULT_ATTRIBUTION_WINDOW = 'P7D';
/** The id of a workspace's global control group, as an experiment. */
export const GLOBAL_CONTROL_ID = 'global_control';

export const ExperimentKind = z.enum([
  'journey',
  'journey_step',
  'template',
  'placement',
  'global_control',
]);
export type ExperimentKind = z.infer<typeof ExperimentKind>;

const Slug = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'use letters, digits and _ . : - only');

export const ExperimentArm = z.strictObject({
  name: Slug,
  weight: z.number().positive('must be positive').max(1_000_000),
  /** What the arm gets: a template id for a template experiment, an offer for a placement. */
  variant: z.string().min(1).max(200).optional(),
});
export type ExperimentArm = z.infer<typeof ExperimentArm>;

const Window = z
  .string()
  .superRefine(checkIsoDuration(ATTRIBUTION_RULES))
  .describe('ISO 8601 duration after first exposure, e.g. P7D');
const EventName = z.string().min(1).max(200);

/** An experiment created through the API: a template variant or an offer placement. */
export const CreateExperiment = z
  .strictObject({
    id: Slug.optional(),
    kind: z.enum(['template', 'placement'], {
      error: 'must be "template" or "placement" (journeys become experiments by their holdout)',
    }),
    subjectId: z.string().min(1).max(200).describe('the template id or the placement id'),
    name: z.string().min(1).max(200).optional(),
    arms: z.array(ExperimentArm).min(2, 'needs at least 2 arms').max(20),
    controlArm: Slug,
    conversionEvent: EventName.default(DEFAULT_CONVERSION_EVENT),
    attributionWindow: Window.default(DEFAULT_ATTRIBUTION_WINDOW),
  })
  .superRefine((e, ctx) => {
    const names = e.arms.map((a) => a.name);
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice) ctx.addIssue({ code: 'custom', path: ['arms'], message: `arm "${twice}" twice` });
    if (!names.includes(e.controlArm))
      ctx.addIssue({
        code: 'custom',
        path: ['controlArm'],
        message: `must be one of the arms (${names.join(', ')})`,
      });
  });
export type CreateExperiment = z.infer<typeof CreateExperiment>;

/** What may change once people are assigned: not the arms, which would move them. */
export const UpdateExperiment = z.strictObject({
  name: z.string().min(1).max(200).optional(),
  conversionEvent: EventName.optional(),
  attributionWindow: Window.optional(),
});
export type UpdateExperiment = z.infer<typeof UpdateExperiment>;

export const Experiment = z.object({
  id: z.string(),
  kind: ExperimentKind,
  subjectId: z.string(),
  name: z.string(),
  salt: z.string(),
  arms: z.array(ExperimentArm),
  controlArm: z.string(),
  conversionEvent: z.string(),
  attributionWindow: z.string(),
  implicit: z.boolean().describe('made from a journey holdout or split step, not by the API'),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Experiment = z.infer<typeof Experiment>;

export const ExperimentWithCounts = Experiment.extend({
  people: z.record(z.string(), z.number().int()).describe('people assigned, per arm'),
});
export type ExperimentWithCounts = z.infer<typeof ExperimentWithCounts>;

export const ExperimentList = z.object({ experiments: z.array(ExperimentWithCounts) });
