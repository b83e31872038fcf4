import { z } from 'zod';

const Window = z.object({ from: z.string(), to: z.string() });

export const MaturityReport = z.object({
  window: Window,
  level: z.enum(['One>>All', 'One>>Many', 'One>>Few', 'One>>One']),
  evidence: z.object({
    messages: z.number().int(),
    people: z.number().int(),
    counts: z.object({
      broadcast: z.number().int(),
      segment: z.number().int(),
      micro_segment: z.number().int(),
      individual: z.number().int(),
    }),
    shares: z.object({
      broadcast: z.number(),
      segment: z.number(),
      micro_segment: z.number(),
      individual: z.number(),
    }),
    uses: z.object({
      recommendations: z.boolean(),
      offers: z.boolean(),
      sendTimeOptimization: z.boolean(),
      liftMeasuredWithControl: z.boolean(),
    }),
    controlledExperiments: z.number().int(),
  }),
  nextStep: z.string(),
});

const Effectiveness = z.object({
  score: z.number(),
  messages: z.number().int(),
  factors: z.object({
    relevance: z.object({
      value: z.number(),
      personalized: z.object({ messages: z.number().int(), engagement: z.number() }),
      control: z.object({ messages: z.number().int(), engagement: z.number() }),
    }),
    timing: z.object({
      value: z.number(),
      engaged: z.number().int(),
      withinHours: z.number().int(),
      expected: z
        .number()
        .describe("engagements the recipients' baselines predict for these messages"),
    }),
    channel: z.object({
      value: z.number(),
      known: z.number().int(),
      matched: z.number().int(),
      match: z.number().nullable(),
    }),
    dataQuality: z.object({ value: z.number(), people: z.number().int() }),
  }),
});

export const EffectivenessReport = z.object({
  window: Window,
  overall: Effectiveness,
  journeys: z.array(Effectiveness.extend({ journeyId: z.string().nullable() })),
});
