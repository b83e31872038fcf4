import { z } from 'zod';

export const JourneyState = z.enum(['draft', 'active', 'paused', 'archived']);
export type JourneyState = z.infer<typeof JourneyState>;

/** `POST /v1/journeys`: a full definition, or a recipe and its parameters. */
export const CreateJourney = z.union([
  z.strictObject({
    recipe: z.string().min(1).max(100),
    params: z.record(z.string(), z.unknown()).default({}),
    name: z.string().min(1).max(200).optional(),
    /** Start taking entries at once (default) or stay a draft. */
    activate: z.boolean().default(true),
  }),
  z.looseObject({ definition: z.unknown(), activate: z.boolean().default(true) }),
]);

export const JourneyOut = z.object({
  id: z.string(),
  name: z.string(),
  status: JourneyState,
  version: z.number().int(),
  /** The recipe the journey was built from, if any. */
  recipe: z.string().nullable(),
  definition: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type JourneyOut = z.infer<typeof JourneyOut>;

export const JourneyList = z.object({ journeys: z.array(JourneyOut) });

export const StepStats = z.object({
  stepId: z.string(),
  type: z.string(),
  treated: z.object({
    entered: z.number().int(),
    waiting: z.number().int(),
    completed: z.number().int(),
    exited: z.number().int(),
    converted: z.number().int(),
  }),
  holdout: z.object({
    entered: z.number().int(),
    waiting: z.number().int(),
    completed: z.number().int(),
    exited: z.number().int(),
    converted: z.number().int(),
  }),
});
export const JourneyStats = z.object({
  journeyId: z.string(),
  runs: z.object({ treated: z.number().int(), holdout: z.number().int() }),
  converted: z.object({ treated: z.number().int(), holdout: z.number().int() }),
  /** Raw rates of the runs' goal; the lift with its interval and tests is `report`. */
  conversionRate: z.object({ treated: z.number().nullable(), holdout: z.number().nullable() }),
  report: z
    .string()
    .nullable()
    .describe(
      'the experiment report of the holdout (lift, intervals, p-values, SRM): GET this path; null without a holdout',
    ),
  messages: z.record(z.string(), z.number().int()),
  steps: z.array(StepStats),
});
export type JourneyStats = z.infer<typeof JourneyStats>;
