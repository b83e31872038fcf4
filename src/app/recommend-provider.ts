import type { Kysely } from 'kysely';
import { z } from 'zod';
import { getItems, type CatalogItem } from '../catalog/index.js';
import type { RecommendedItem, RecommendProvider, RecommendRequest } from '../channels/index.js';
import {
  recommendParamShape,
  requestFromParams,
  type RecommendationService,
} from '../recommend/index.js';
import { AppError, zodDetails } from '../shared/index.js';
import type { Database } from '../store/index.js';

/**
 * A `{% recommend %}` block's arguments: the HTTP parameters under the same names, with
 * `item_id` as another name for `itemId` (both refused together). What the engine sets
 * itself (`limit` checked by the tag, `personalized`, `profileId`) comes along too.
 */
const BlockArguments = z
  .strictObject({
    ...recommendParamShape,
    item_id: recommendParamShape.itemId,
    limit: z.number().int().min(1),
    personalized: z.boolean(),
    profileId: z.string().optional(),
  })
  .refine((a) => a.item_id === undefined || a.itemId === undefined, {
    message: 'give item_id or itemId, not both',
    path: ['item_id'],
  });

/** What a block's `item` holds: the catalog's fields, and why it was recommended. */
function card(
  id: string,
  served: {
    title?: string | undefined;
    strategy: string;
    score: number;
    reason: { code: string; text: string };
  },
  item: CatalogItem | undefined,
): RecommendedItem {
  const title = item?.title ?? served.title ?? null;
  return {
    id,
    item_id: id,
    title,
    // `name` as in Segment's product properties, so cart items and recommendations
    // render with the same card.
    name: title ?? id,
    url: item?.url ?? null,
    image: item?.image ?? null,
    image_url: item?.image ?? null,
    price: item?.price ?? null,
    currency: item?.currency ?? null,
    brand: item?.brand ?? null,
    categories: item?.categories ?? [],
    tags: item?.tags ?? [],
    attributes: item?.attributes ?? {},
    in_stock: item?.in_stock ?? null,
    strategy: served.strategy,
    score: served.score,
    reason: served.reason.text,
    reason_code: served.reason.code,
  };
}

function problemOf(error: z.ZodError): string {
  return zodDetails(error)
    .map((d) => (d.path ? `${d.path}: ${d.problem}` : d.problem))
    .join('; ');
}

/**
 * What `{% recommend %}` blocks ask the recommendations engine, for one person: every
 * argument reaches the engine, and each item comes back with the catalog's url, image,
 * price, currency, brand, categories and attributes (read fresh, so a price changed
 * since training shows as it is now). Someone who opted out of personalization gets
 * what everyone gets: popular items, none of their history.
 */
export function recommendProvider(
  recommendations: RecommendationService,
  db: Kysely<Database>,
): (workspaceId: string, profileId: string) => RecommendProvider {
  return (workspaceId, profileId) => async (request: RecommendRequest) => {
    const parsed = BlockArguments.safeParse(request);
    if (!parsed.success) throw new Error(`recommend: ${problemOf(parsed.error)}`);
    const { item_id, limit, personalized, ...params } = parsed.data;
    const itemId = params.itemId ?? item_id;
    let answer;
    try {
      answer = recommendations.recommend(
        workspaceId,
        requestFromParams(
          personalized
            ? { ...params, ...(itemId ? { itemId } : {}) }
            : { ...params, itemId: undefined, strategy: 'popular' },
          { limit, ...(personalized ? { userId: profileId } : {}) },
        ),
      );
    } catch (error) {
      // A bad request (an unknown strategy, a boost the engine refuses) names the field.
      if (error instanceof AppError) {
        const details = error.details.map((d) => `${d.path}: ${d.problem}`).join('; ');
        throw new Error(`recommend: ${error.message}${details ? ` (${details})` : ''}`, {
          cause: error,
        });
      }
      throw error;
    }
    const items = await getItems(
      db,
      workspaceId,
      answer.items.map((i) => i.itemId),
    );
    return answer.items.map((i) => card(i.itemId, i, items.get(i.itemId)));
  };
}
