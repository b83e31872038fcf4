import type { Kysely } from 'kysely';
import type { CatalogItem as StoredItem } from '../../catalog/index.js';
import { attributedEventsPage, type LoggedEvent } from '../../profiles/index.js';
import type { Database } from '../../store/index.js';
import type { CatalogItemInput, Interaction, InteractionKind } from '../schemas.js';

/** Segment e-commerce events and the feedback they are (view < cart < purchase). */
const KINDS: Record<string, InteractionKind> = {
  'Product Viewed': 'view',
  'Product Clicked': 'view',
  'Product Added': 'cart',
  'Product Added to Wishlist': 'cart',
  'Order Completed': 'purchase',
};
export const INTERACTION_EVENTS = Object.keys(KINDS);

const idOf = (p: unknown): string | null => {
  if (typeof p !== 'object' || p === null) return null;
  const o = p as Record<string, unknown>;
  const v = o.product_id ?? o.sku ?? o.id;
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null;
};

/** The interactions one logged event stands for (an order: one per product). */
export function interactionsOf(
  profileId: string,
  e: Pick<LoggedEvent, 'event' | 'timestamp' | 'properties'>,
): Interaction[] {
  const kind = e.event === null ? undefined : KINDS[e.event];
  if (!kind) return [];
  const products =
    kind === 'purchase' && Array.isArray(e.properties.products)
      ? e.properties.products
      : [e.properties];
  const out: Interaction[] = [];
  for (const p of products.slice(0, 500)) {
    const itemId = idOf(p);
    if (!itemId) continue;
    const q = (p as { quantity?: unknown }).quantity;
    out.push({
      userId: profileId,
      itemId,
      timestamp: e.timestamp,
      kind,
      ...(typeof q === 'number' && q > 0 ? { quantity: q } : {}),
    });
  }
  return out;
}

/**
 * The interactions in a workspace's log with `after < id <= through`, attributed to the
 * person (profile) each belongs to, in log order; a page at a time.
 */
export async function loadInteractions(
  db: Kysely<Database>,
  workspaceId: string,
  after = 0,
  through = Number.MAX_SAFE_INTEGER,
): Promise<Interaction[]> {
  const out: Interaction[] = [];
  for (;;) {
    const page = await attributedEventsPage(
      db,
      workspaceId,
      INTERACTION_EVENTS,
      after,
      through,
      20_000,
    );
    if (page.lastId === null) return out;
    after = page.lastId;
    for (const { profileId, event } of page.events) out.push(...interactionsOf(profileId, event));
  }
}

/** The store's catalog in the recommender's shape. */
export function toRecommendable(items: readonly StoredItem[]): CatalogItemInput[] {
  return items.map((i) => ({
    id: i.id,
    ...(i.title ? { title: i.title } : {}),
    categories: i.categories,
    ...(i.brand ? { brand: i.brand } : {}),
    ...(i.price !== null ? { price: i.price } : {}),
    ...(i.currency ? { currency: i.currency } : {}),
    ...(i.url ? { url: i.url } : {}),
    ...(i.image ? { image: i.image } : {}),
    ...(i.in_stock !== null ? { inStock: i.in_stock } : {}),
    ...(i.stock !== null ? { stock: i.stock } : {}),
    tags: i.tags,
    attributes: i.attributes,
    createdAt: Date.parse(i.created_at),
  }));
}
