import { z } from 'zod';
import { FeedbackWeights, InteractionKind } from './schemas.js';

const name = z
  .string()
  .min(1)
  .optional()
  .describe('Model name requests refer to; defaults to the strategy name.');
const weights = FeedbackWeights.prefault({});
const halfLifeDays = (fallback: number | null) =>
  z.number().positive().nullable().default(fallback);

/** The per-person history behind `recently_viewed`, exclude-purchased and personal scoring. */
export const HistoryConfig = z.object({
  strategy: z.literal('history'),
  name,
  maxItemsPerUser: z.int().positive().default(5000),
});

const popularity = (strategy: 'popular' | 'trending', days: number | null) =>
  z.object({
    strategy: z.literal(strategy),
    name,
    halfLifeDays: halfLifeDays(days),
    weights,
    count: z.enum(['users', 'interactions']).default('users'),
    userIds: z.array(z.string().min(1)).optional(),
  });
/** Time-decayed popularity over everyone, or over `userIds` (a segment's members). */
export const PopularConfig = popularity('popular', 30);
/** Same model with a short half-life: what is rising now. */
export const TrendingConfig = popularity('trending', 3);

const coOccurrence = (strategy: 'bought_together' | 'viewed_together', kinds: InteractionKind[]) =>
  z.object({
    strategy: z.literal(strategy),
    name,
    kinds: z.array(InteractionKind).min(1).default(kinds),
    scope: z.enum(['session', 'user']).default('session'),
    sessionGapMinutes: z.number().nonnegative().default(30),
    similarity: z.enum(['cosine', 'jaccard', 'lift']).default('cosine'),
    shrinkage: z.number().nonnegative().default(5),
    minCount: z.int().positive().default(1),
    maxPairsPerItem: z.int().positive().default(300),
  });
export const BoughtTogetherConfig = coOccurrence('bought_together', ['purchase']);
export const ViewedTogetherConfig = coOccurrence('viewed_together', ['view']);

export const AlsParams = z.object({
  factors: z.int().positive().max(512).default(64),
  iterations: z.int().positive().default(10),
  regularization: z.number().positive().default(0.1),
  alpha: z.number().positive().default(20),
  cgSteps: z.int().positive().default(3),
  seed: z.int().default(42),
});
export type AlsParams = z.infer<typeof AlsParams>;

/** EASE (Steck 2019) up to `maxEaseItems` items, implicit ALS (Hu et al. 2008) above. */
export const PersonalizedConfig = z.object({
  strategy: z.literal('personalized'),
  name,
  algorithm: z.enum(['auto', 'ease', 'als']).default('auto'),
  maxEaseItems: z.int().positive().max(20_000).default(8000),
  weights,
  // Defaults tuned on the Online Retail validation split (docs/recommendations.md).
  halfLifeDays: halfLifeDays(30),
  minSupport: z.int().positive().default(3),
  lambda: z.number().positive().default(200),
  topK: z.int().positive().nullable().default(200),
  minHistory: z.int().nonnegative().default(1),
  maxHistory: z.int().positive().default(200),
  als: AlsParams.prefault({}),
});

/** TF-IDF over title, categories, brand, tags and attributes; cosine neighbours. */
export const SimilarConfig = z.object({
  strategy: z.literal('similar'),
  name,
  fieldWeights: z
    .object({
      title: z.number().nonnegative().default(1),
      categories: z.number().nonnegative().default(1),
      brand: z.number().nonnegative().default(1),
      tags: z.number().nonnegative().default(1),
      attributes: z.number().nonnegative().default(0.5),
    })
    .prefault({}),
  maxNeighbors: z.int().positive().default(50),
  minSimilarity: z.number().min(0).max(1).default(0.05),
});

export const ModelConfig = z.discriminatedUnion('strategy', [
  HistoryConfig,
  PopularConfig,
  TrendingConfig,
  BoughtTogetherConfig,
  ViewedTogetherConfig,
  PersonalizedConfig,
  SimilarConfig,
]);
export type ModelConfig = z.infer<typeof ModelConfig>;
export type ModelConfigInput = z.input<typeof ModelConfig>;
export type HistoryConfig = z.infer<typeof HistoryConfig>;
export type PopularityConfig = Extract<ModelConfig, { strategy: 'popular' | 'trending' }>;
export type CoOccurrenceConfig = Extract<
  ModelConfig,
  { strategy: 'bought_together' | 'viewed_together' }
>;
export type PersonalizedConfig = z.infer<typeof PersonalizedConfig>;
export type SimilarConfig = z.infer<typeof SimilarConfig>;

/** The models a recommender needs for every strategy, with default parameters. */
export function defaultModelConfigs(): ModelConfig[] {
  return (
    [
      { strategy: 'history' },
      { strategy: 'popular' },
      { strategy: 'trending' },
      { strategy: 'bought_together' },
      { strategy: 'viewed_together' },
      { strategy: 'personalized' },
      { strategy: 'similar' },
    ] as const
  ).map((c) => ModelConfig.parse(c));
}
