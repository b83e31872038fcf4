import { z } from 'zod';

const Text = (max: number) => z.string().max(max);
const AttributeValue = z.union([z.string().max(2000), z.number(), z.boolean()]);

/**
 * A catalog item as the API accepts it. On upsert, fields that are absent keep their
 * stored value and `null` clears one, so product events and partial feeds can update an
 * item without erasing what they do not mention.
 */
export const CatalogItemInput = z.object({
  id: Text(256).min(1),
  title: Text(1000).nullish(),
  categories: z.array(Text(200)).max(50).nullish(),
  brand: Text(200).nullish(),
  price: z.number().min(0).nullish(),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'must be a 3-letter ISO 4217 code')
    .nullish(),
  in_stock: z.boolean().nullish(),
  stock: z.number().int().min(0).nullish(),
  url: Text(2000).nullish(),
  image: Text(2000).nullish(),
  tags: z.array(Text(200)).max(100).nullish(),
  attributes: z.record(Text(200), AttributeValue).nullish(),
  created_at: z.iso.datetime({ offset: true }).nullish(),
});
export type CatalogItemInput = z.infer<typeof CatalogItemInput>;

export const CatalogItem = z.object({
  id: z.string(),
  title: z.string().nullable(),
  categories: z.array(z.string()),
  brand: z.string().nullable(),
  price: z.number().nullable(),
  currency: z.string().nullable(),
  in_stock: z.boolean().nullable(),
  stock: z.number().nullable(),
  url: z.string().nullable(),
  image: z.string().nullable(),
  tags: z.array(z.string()),
  attributes: z.record(z.string(), AttributeValue),
  created_at: z.string(),
  updated_at: z.string(),
});
export type CatalogItem = z.infer<typeof CatalogItem>;

export const UpsertItems = z.object({
  // A misspelt field (`inStock` for `in_stock`) would otherwise be dropped and the item
  // reported "unchanged": unknown fields are errors here.
  items: z.array(CatalogItemInput.strict()).min(1).max(1000),
});

export const UpsertResult = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
});
export type UpsertResult = z.infer<typeof UpsertResult>;

export const ItemQuery = z.object({
  category: z.string().min(1).optional(),
  brand: z.string().min(1).optional(),
  q: z.string().min(1).max(200).optional(),
  in_stock: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().min(1).optional(),
});
export type ItemQuery = z.infer<typeof ItemQuery>;

export const ItemPage = z.object({
  items: z.array(CatalogItem),
  nextCursor: z.string().nullable(),
});
export type ItemPage = z.infer<typeof ItemPage>;
