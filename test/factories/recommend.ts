// Factories for the recommend tests. Kept in test/ so they never ship in dist/.
import type { Interaction } from '../../src/recommend/index.js';
import type { CatalogItemInput, InteractionKind } from '../../src/recommend/schemas.js';

export const T0 = Date.UTC(2026, 0, 1);
export const DAY = 86_400_000;
export const HOUR = 3_600_000;

export function ix(
  userId: string,
  itemId: string,
  timestamp = T0,
  kind: InteractionKind = 'purchase',
  quantity?: number,
): Interaction {
  return quantity === undefined
    ? { userId, itemId, timestamp, kind }
    : { userId, itemId, timestamp, kind, quantity };
}

export function item(id: string, overrides: Partial<CatalogItemInput> = {}): CatalogItemInput {
  return { id, title: `Item ${id}`, ...overrides };
}

/** One purchase basket: every item bought by `userId` at `timestamp`. */
export function basket(userId: string, items: readonly string[], timestamp = T0): Interaction[] {
  return items.map((i) => ix(userId, i, timestamp));
}
