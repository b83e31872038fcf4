import type { Kysely } from 'kysely';
import { getItems } from '../catalog/index.js';
import type { Database } from '../store/index.js';
import type { WorkspaceSettings } from './workspace-settings.js';

/**
 * `workspace.*` in templates: the shop's name, site, logo, colours, postal address and
 * how it writes prices, from the settings' `brand` section (the sender's name when the
 * brand has none).
 */
export function workspaceScope(settings: WorkspaceSettings): Record<string, unknown> {
  const b = settings.brand;
  return {
    name: b.name ?? settings.email.fromName ?? '',
    website: b.website,
    logo: b.logoUrl,
    colors: {
      primary: b.colors.primary,
      button_text: b.colors.buttonText,
      background: b.colors.background,
      surface: b.colors.surface,
      text: b.colors.text,
    },
    address: b.address,
    locale: b.locale,
    currency: b.currency,
  };
}

/**
 * `links.cart`: the brand's cart URL with the run's key (the cart id) in place of
 * `{cart_id}`, else the shop's home page; absent when neither is set.
 */
export function cartLink(
  settings: WorkspaceSettings,
  key: string | null | undefined,
): string | null {
  const url = settings.brand.cartUrl;
  if (url === null) return settings.brand.website;
  if (!url.includes('{cart_id}')) return url;
  // Without a cart id (a message outside a cart journey) the cart page without one.
  return key
    ? url.replaceAll('{cart_id}', encodeURIComponent(key))
    : url.replace(/\/?\{cart_id\}/g, '');
}

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const number = (v: unknown): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? v : null;

/**
 * A run's items (cart or order lines, as the events carried them) completed from the
 * catalog: what an event left out (`name`, `url`, `image_url`, `price`, `currency`) is
 * taken from the item with the same id, so a product card has its picture and link even
 * when the shop's Product Added events are bare. What the event says wins: it is the
 * price the person saw. `image` mirrors `image_url`, as on recommended items.
 */
export async function completeItems(
  db: Kysely<Database>,
  workspaceId: string,
  items: readonly Record<string, unknown>[],
  settings: WorkspaceSettings,
): Promise<Record<string, unknown>[]> {
  if (items.length === 0) return [];
  const ids = items.flatMap((i) => (typeof i.product_id === 'string' ? [i.product_id] : []));
  const catalog = await getItems(db, workspaceId, ids);
  return items.map((i) => {
    const c = typeof i.product_id === 'string' ? catalog.get(i.product_id) : undefined;
    const image = text(i.image_url) ?? text(i.image) ?? c?.image ?? null;
    return {
      ...i,
      name: text(i.name) ?? c?.title ?? i.product_id,
      url: text(i.url) ?? c?.url ?? null,
      image_url: image,
      image,
      price: number(i.price) ?? c?.price ?? null,
      currency: text(i.currency) ?? c?.currency ?? settings.brand.currency,
    };
  });
}
