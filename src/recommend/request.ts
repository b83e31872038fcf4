import { z } from 'zod';
import { AttributeValue, InteractionKind } from './schemas.js';

/** Which items a boost applies to: every given field must match (any value in a list). */
export const ItemMatch = z.object({
  itemIds: z.array(z.string()).optional(),
  categories: z.array(z.string()).optional(),
  brands: z.array(z.string()).optional(),
  tags: z.array(z.string()).optional(),
  attributes: z.record(z.string(), AttributeValue).optional(),
});
export type ItemMatch = z.infer<typeof ItemMatch>;

/** Multiplies the score of matching candidates by `factor` (> 1 promotes, < 1 demotes). */
export const Boost = z.object({
  match: ItemMatch,
  factor: z.number().positive(),
});
export type Boost = z.infer<typeof Boost>;

/** An event of a visitor the server has no profile for (e.g. from an anonymous session). */
export const HistoryEvent = z.object({
  itemId: z.string().min(1),
  kind: InteractionKind.default('view'),
  timestamp: z.number().optional(),
});

/**
 * A recommendation request. `strategy` is a model name (`personalized`, `popular`,
 * `trending`, `bought_together`, `viewed_together`, `similar`, or any custom name),
 * `recently_viewed`, `auto`, or a list of these: a fallback chain.
 */
export const RecommendRequest = z.object({
  strategy: z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(10)]).default('auto'),
  userId: z.string().min(1).optional(),
  history: z.array(HistoryEvent).max(1000).optional(),
  itemId: z.string().min(1).optional(),
  cart: z.array(z.string()).max(1000).default([]),
  limit: z.int().min(1).max(500).default(10),
  exclude: z.array(z.string()).default([]),
  category: z.string().min(1).optional(),
  categories: z.array(z.string()).optional(),
  excludeCategories: z.array(z.string()).default([]),
  brands: z.array(z.string()).optional(),
  excludeBrands: z.array(z.string()).default([]),
  minPrice: z.number().optional(),
  maxPrice: z.number().optional(),
  excludePurchased: z.boolean().default(true),
  excludeSeen: z.boolean().default(false),
  includeOutOfStock: z.boolean().default(false),
  boosts: z.array(Boost).max(50).default([]),
  maxPerCategory: z.int().positive().optional(),
  mmrLambda: z.number().min(0).max(1).optional(),
  fill: z.boolean().default(true),
});
export type RecommendRequest = z.infer<typeof RecommendRequest>;
export type RecommendRequestInput = z.input<typeof RecommendRequest>;

export const ReasonCode = z.enum([
  'because_viewed',
  'because_carted',
  'because_bought',
  'popular',
  'trending',
  'bought_together',
  'viewed_together',
  'similar',
  'recently_viewed',
  'catalog',
]);
export type ReasonCode = z.infer<typeof ReasonCode>;

export const Reason = z.object({
  code: ReasonCode,
  text: z.string(),
  /** The item the reason refers to ("Because you viewed X"). */
  itemId: z.string().optional(),
});
export type Reason = z.infer<typeof Reason>;

export const RecommendedItem = z.object({
  itemId: z.string(),
  title: z.string().optional(),
  /** The catalog's facts a page or message shows beside the title (absent when unknown). */
  price: z.number().optional(),
  currency: z.string().optional(),
  url: z.string().optional(),
  image: z.string().optional(),
  score: z.number(),
  /** The model (or `recently_viewed` / `catalog`) that put the item here. */
  strategy: z.string(),
  reason: Reason,
});
export type RecommendedItem = z.infer<typeof RecommendedItem>;

export const RecommendResponse = z.object({
  items: z.array(RecommendedItem),
  /** The chain that was tried, in order. */
  chain: z.array(z.string()),
});
export type RecommendResponse = z.infer<typeof RecommendResponse>;
