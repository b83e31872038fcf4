import { z } from 'zod';

/** What a person did with an item. Weights in the personalized model: view < cart < purchase. */
export const InteractionKind = z.enum(['view', 'cart', 'purchase']);
export type InteractionKind = z.infer<typeof InteractionKind>;

export const INTERACTION_KINDS: readonly InteractionKind[] = InteractionKind.options;

/** One implicit-feedback signal: the input of every trainer. `timestamp` is epoch ms. */
export const Interaction = z.object({
  userId: z.string().min(1),
  itemId: z.string().min(1),
  timestamp: z.number(),
  kind: InteractionKind,
  quantity: z.number().positive().optional(),
});
export type Interaction = z.infer<typeof Interaction>;

export const AttributeValue = z.union([z.string(), z.number(), z.boolean()]);
export type AttributeValue = z.infer<typeof AttributeValue>;

/**
 * A recommendable item. `inStock: false` or `stock <= 0` makes it ineligible; an
 * attribute or tag `replenishable` lets a buyer be shown it again (see the rules).
 */
export const CatalogItem = z.object({
  id: z.string().min(1),
  title: z.string().optional(),
  categories: z.array(z.string()).default([]),
  brand: z.string().optional(),
  price: z.number().nonnegative().optional(),
  currency: z.string().optional(),
  /** Where the item is shown and its picture: handed back with each recommendation. */
  url: z.string().optional(),
  image: z.string().optional(),
  inStock: z.boolean().optional(),
  stock: z.number().optional(),
  tags: z.array(z.string()).default([]),
  attributes: z.record(z.string(), AttributeValue).default({}),
  createdAt: z.number().optional(),
});
export type CatalogItem = z.infer<typeof CatalogItem>;
/** What callers may pass: the array and record fields default to empty. */
export type CatalogItemInput = z.input<typeof CatalogItem>;

/** Per-kind weights of implicit feedback. */
export const FeedbackWeights = z.object({
  view: z.number().nonnegative().default(0.25),
  cart: z.number().nonnegative().default(0.5),
  purchase: z.number().nonnegative().default(1),
});
export type FeedbackWeights = z.infer<typeof FeedbackWeights>;

export const DAY_MS = 86_400_000;
