import { z } from 'zod';
import { Boost, type RecommendRequestInput } from './request.js';

/** Ids or names: `"a, b"`, a list, or a list of objects with `product_id` / `id` (cart items). */
const List = z
  .union([
    z.string().max(10_000),
    z
      .array(z.union([z.string().max(1000), z.number(), z.record(z.string(), z.unknown())]))
      .max(1000),
  ])
  .transform((v, ctx) => {
    const parts = typeof v === 'string' ? v.split(',') : v;
    const out: string[] = [];
    for (const p of parts) {
      const id =
        typeof p === 'string'
          ? p.trim()
          : typeof p === 'number'
            ? String(p)
            : [p.product_id, p.id, p.sku].find(
                (x) => typeof x === 'string' || typeof x === 'number',
              );
      if (id === undefined) {
        ctx.addIssue({ code: 'custom', message: 'a list entry has no product_id or id' });
        return z.NEVER;
      }
      if (String(id) !== '') out.push(String(id));
    }
    return out;
  });

const Num = z.union([z.number(), z.string().trim().min(1).max(50)]).transform((v, ctx) => {
  const n = Number(v);
  if (!Number.isFinite(n)) {
    ctx.addIssue({ code: 'custom', message: `must be a number (got ${JSON.stringify(v)})` });
    return z.NEVER;
  }
  return n;
});

const Bool = z.union([
  z.boolean(),
  z.enum(['true', 'false'], 'must be true or false').transform((v) => v === 'true'),
]);

const Id = z.union([z.string().min(1).max(1000), z.number()]).transform(String);

// Over HTTP (and from a template literal) boosts are one JSON text.
const Boosts = z
  .union([z.array(z.unknown()), z.string().max(20_000)])
  .transform((v, ctx): unknown => {
    if (typeof v !== 'string') return v;
    try {
      const parsed: unknown = JSON.parse(v);
      return parsed;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON array of boosts' });
      return z.NEVER;
    }
  })
  .pipe(z.array(Boost).max(50));

/**
 * The recommendation parameters a caller outside the engine writes as text or template
 * values: GET /v1/recommendations's query and `{% recommend %}`'s arguments, under the
 * same names. Lists are comma-separated text or lists; numbers and booleans may be text.
 */
export const recommendParamShape = {
  strategy: z.string().min(1).max(500).optional(),
  itemId: Id.optional(),
  cart: List.optional(),
  exclude: List.optional(),
  category: z.string().min(1).max(200).optional(),
  categories: List.optional(),
  excludeCategories: List.optional(),
  brands: List.optional(),
  excludeBrands: List.optional(),
  minPrice: Num.optional(),
  maxPrice: Num.optional(),
  excludePurchased: Bool.optional(),
  excludeSeen: Bool.optional(),
  includeOutOfStock: Bool.optional(),
  boosts: Boosts.optional(),
  maxPerCategory: Num.pipe(z.number().int().min(1)).optional(),
  mmrLambda: Num.pipe(z.number().min(0).max(1)).optional(),
  fill: Bool.optional(),
};

export type RecommendParams = {
  [K in keyof typeof recommendParamShape]?: z.output<(typeof recommendParamShape)[K]>;
};

/**
 * The engine's request from parsed parameters: a comma in `strategy` makes a fallback
 * chain, absent parameters keep the engine's defaults, and other fields of `p` (the
 * caller's own, such as `userId` over HTTP) are left out.
 */
export function requestFromParams(
  p: RecommendParams & Record<string, unknown>,
  extra: Pick<RecommendRequestInput, 'userId' | 'limit'>,
): RecommendRequestInput {
  const out: RecommendRequestInput = { ...extra };
  const { strategy, ...rest } = p;
  if (strategy !== undefined) {
    const chain = strategy
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    out.strategy = chain.length > 1 ? chain : (chain[0] ?? strategy);
  }
  // Only the parameters above: anything else the caller's object carries stays behind.
  for (const key of Object.keys(recommendParamShape)) {
    const value = rest[key];
    if (key !== 'strategy' && value !== undefined) Object.assign(out, { [key]: value });
  }
  return out;
}
