import type { CatalogItemInput } from './item.js';

/** Segment e-commerce events that describe products. */
const PRODUCT_EVENTS = new Set([
  'Product Viewed',
  'Product Clicked',
  'Product Added',
  'Product Removed',
  'Product Added to Wishlist',
  'Product Shared',
  'Product Reviewed',
]);
const PRODUCT_LIST_EVENTS = new Set([
  'Order Completed',
  'Order Updated',
  'Checkout Started',
  'Cart Viewed',
  'Product List Viewed',
  'Order Refunded',
]);

const str = (v: unknown, max = 1000): string | undefined =>
  typeof v === 'string' && v.trim() !== '' && v.length <= max
    ? v
    : typeof v === 'number' && Number.isFinite(v)
      ? String(v)
      : undefined;
const num = (v: unknown): number | undefined => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
};

function productToItem(p: unknown): CatalogItemInput | null {
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return null;
  const o = p as Record<string, unknown>;
  const id = str(o.product_id, 256) ?? str(o.sku, 256) ?? str(o.id, 256);
  if (!id) return null;
  const item: CatalogItemInput = { id };
  const title = str(o.name);
  if (title) item.title = title;
  const category = str(o.category, 200);
  if (category) item.categories = [category];
  const brand = str(o.brand, 200);
  if (brand) item.brand = brand;
  const price = num(o.price);
  if (price !== undefined) item.price = price;
  const currency = str(o.currency, 3);
  if (currency && /^[A-Za-z]{3}$/.test(currency)) item.currency = currency.toUpperCase();
  const url = str(o.url, 2000);
  if (url) item.url = url;
  const image = str(o.image_url, 2000) ?? str(o.image, 2000);
  if (image) item.image = image;
  return item;
}

/**
 * The catalog facts a product event states (Segment e-commerce spec): the product of
 * `Product Viewed`/`Added`/..., or each of `products` of an order or cart. Only fields
 * the event carries are set, so a sparse event never erases catalog data. Prices are
 * not taken from orders: an order line may carry a discount, not the list price.
 */
export function itemsFromEvent(
  name: string | null,
  properties: Record<string, unknown>,
): CatalogItemInput[] {
  if (!name) return [];
  if (PRODUCT_EVENTS.has(name)) {
    const item = productToItem(properties);
    return item ? [item] : [];
  }
  if (PRODUCT_LIST_EVENTS.has(name) && Array.isArray(properties.products)) {
    const items: CatalogItemInput[] = [];
    for (const p of properties.products.slice(0, 500)) {
      const item = productToItem(p);
      if (!item) continue;
      delete item.price;
      items.push(item);
    }
    return items;
  }
  return [];
}
