import type { Insertable, Kysely, Selectable } from 'kysely';
import { decodeJson, type Decoded } from '../shared/index.js';
import type { CatalogChangesTable, CatalogItemsTable, Database } from '../store/index.js';
import {
  CatalogItem,
  type CatalogItemInput,
  type ItemPage,
  type ItemQuery,
  type UpsertResult,
} from './item.js';

type Row = Selectable<CatalogItemsTable>;

const iso = (ms: number) => new Date(ms).toISOString();
const boolOf = (v: number | null) => (v === null ? null : v === 1);

const Categories = CatalogItem.shape.categories;
const Tags = CatalogItem.shape.tags;
const Attributes = CatalogItem.shape.attributes;

/** A list or map field of an item; one that does not decode reads as empty. */
function field<T>(decoded: Decoded<T>, empty: T): T {
  return decoded.kind === 'ok' ? decoded.value : empty;
}

/**
 * An item as stored. Its JSON fields are decoded through the item's schema; one that
 * does not decode reads as empty (no categories, tags or attributes), so the item keeps
 * serving on its other fields, and the next upsert that sets the field repairs it.
 */
export function rowToItem(r: Row): CatalogItem {
  return {
    id: r.id,
    title: r.title,
    categories: field(decodeJson(Categories, r.categories), []),
    brand: r.brand,
    price: r.price,
    currency: r.currency,
    in_stock: boolOf(r.in_stock),
    stock: r.stock,
    url: r.url,
    image: r.image,
    tags: field(decodeJson(Tags, r.tags), []),
    attributes: field(decodeJson(Attributes, r.attributes), {}),
    created_at: iso(r.created_at),
    updated_at: iso(r.updated_at),
  };
}

/** Applies an input over a stored row: absent fields are kept, null clears. */
function merged(
  workspaceId: string,
  old: Row | undefined,
  input: CatalogItemInput,
  now: number,
): Row {
  const pick = <K extends keyof CatalogItemInput, T>(
    key: K,
    current: T,
    convert: (v: NonNullable<CatalogItemInput[K]>) => T,
    empty: T,
  ): T => {
    const v = input[key];
    if (v === undefined) return current;
    if (v === null) return empty;
    return convert(v);
  };
  const createdAt = input.created_at ? Date.parse(input.created_at) : (old?.created_at ?? now);
  // A stock count implies availability unless in_stock says otherwise.
  const stock = pick('stock', old?.stock ?? null, (v) => v, null);
  let inStock = pick('in_stock', old?.in_stock ?? null, (v) => (v ? 1 : 0), null);
  if (input.in_stock === undefined && input.stock !== undefined && stock !== null) {
    inStock = stock > 0 ? 1 : 0;
  }
  return {
    workspace_id: workspaceId,
    id: input.id,
    title: pick('title', old?.title ?? null, (v) => v, null),
    categories: pick('categories', old?.categories ?? '[]', (v) => JSON.stringify(v), '[]'),
    brand: pick('brand', old?.brand ?? null, (v) => v, null),
    price: pick('price', old?.price ?? null, (v) => v, null),
    currency: pick('currency', old?.currency ?? null, (v) => v.toUpperCase(), null),
    in_stock: inStock,
    stock,
    url: pick('url', old?.url ?? null, (v) => v, null),
    image: pick('image', old?.image ?? null, (v) => v, null),
    tags: pick('tags', old?.tags ?? '[]', (v) => JSON.stringify(v), '[]'),
    attributes: pick('attributes', old?.attributes ?? '{}', (v) => JSON.stringify(v), '{}'),
    created_at: createdAt,
    updated_at: now,
    deleted_at: null,
  };
}

const CONTENT: (keyof Row)[] = [
  'title',
  'categories',
  'brand',
  'price',
  'currency',
  'in_stock',
  'stock',
  'url',
  'image',
  'tags',
  'attributes',
  'created_at',
];
/** Fields whose changes are recorded: price drops and restocks trigger journeys. */
const TRACKED: (keyof Row)[] = ['price', 'in_stock', 'stock'];

/**
 * Upserts items (last one wins for a repeated id) and records price and stock changes,
 * all in the caller's transaction.
 */
export async function upsertItems(
  db: Kysely<Database>,
  workspaceId: string,
  inputs: readonly CatalogItemInput[],
  now: number,
): Promise<UpsertResult> {
  const result: UpsertResult = { created: 0, updated: 0, unchanged: 0 };
  if (inputs.length === 0) return result;
  const ids = [...new Set(inputs.map((i) => i.id))];
  const existing = new Map<string, Row>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('catalog_items')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const r of rows) existing.set(r.id, r);
  }
  const next = new Map<string, Row>();
  const changes: Insertable<CatalogChangesTable>[] = [];
  for (const input of inputs) {
    const before = next.get(input.id) ?? existing.get(input.id);
    next.set(input.id, merged(workspaceId, before, input, now));
  }
  const writes: Row[] = [];
  for (const [id, row] of next) {
    const old = existing.get(id);
    if (old && old.deleted_at === null && CONTENT.every((k) => old[k] === row[k])) {
      result.unchanged++;
      continue;
    }
    if (old && old.deleted_at === null) {
      result.updated++;
      for (const field of TRACKED) {
        if (old[field] !== row[field]) {
          changes.push({
            workspace_id: workspaceId,
            item_id: id,
            field,
            old_value: old[field] === null ? null : String(old[field]),
            new_value: row[field] === null ? null : String(row[field]),
            at: now,
          });
        }
      }
    } else {
      result.created++;
    }
    // Every write moves the item's stamp forward, even twice in one millisecond, so
    // catalogSignature() always sees it.
    if (old) row.updated_at = Math.max(now, old.updated_at + 1);
    writes.push(row);
  }
  for (let i = 0; i < writes.length; i += 200) {
    await db
      .insertInto('catalog_items')
      .values(writes.slice(i, i + 200))
      .onConflict((oc) =>
        oc.columns(['workspace_id', 'id']).doUpdateSet((eb) => ({
          title: eb.ref('excluded.title'),
          categories: eb.ref('excluded.categories'),
          brand: eb.ref('excluded.brand'),
          price: eb.ref('excluded.price'),
          currency: eb.ref('excluded.currency'),
          in_stock: eb.ref('excluded.in_stock'),
          stock: eb.ref('excluded.stock'),
          url: eb.ref('excluded.url'),
          image: eb.ref('excluded.image'),
          tags: eb.ref('excluded.tags'),
          attributes: eb.ref('excluded.attributes'),
          created_at: eb.ref('excluded.created_at'),
          updated_at: eb.ref('excluded.updated_at'),
          deleted_at: eb.ref('excluded.deleted_at'),
        })),
      )
      .execute();
  }
  for (let i = 0; i < changes.length; i += 500) {
    await db
      .insertInto('catalog_changes')
      .values(changes.slice(i, i + 500))
      .execute();
  }
  return result;
}

export async function getItem(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
): Promise<CatalogItem | null> {
  const row = await db
    .selectFrom('catalog_items')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row ? rowToItem(row) : null;
}

/** The live items among `ids` (at most 500 asked at once), by id; missing ids are absent. */
export async function getItems(
  db: Kysely<Database>,
  workspaceId: string,
  ids: readonly string[],
): Promise<Map<string, CatalogItem>> {
  const out = new Map<string, CatalogItem>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db
      .selectFrom('catalog_items')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', 'in', unique.slice(i, i + 500))
      .where('deleted_at', 'is', null)
      .execute();
    for (const r of rows) out.set(r.id, rowToItem(r));
  }
  return out;
}

/** Items by id order; `q` matches title, id or brand, case-insensitively. */
export async function listItems(
  db: Kysely<Database>,
  workspaceId: string,
  query: ItemQuery,
): Promise<ItemPage> {
  let q = db
    .selectFrom('catalog_items')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('deleted_at', 'is', null);
  if (query.cursor) q = q.where('id', '>', query.cursor);
  if (query.brand) q = q.where('brand', '=', query.brand);
  if (query.in_stock) q = q.where('in_stock', '=', query.in_stock === 'true' ? 1 : 0);
  if (query.category) {
    // categories is a JSON array of strings; match the quoted element.
    q = q.where('categories', 'like', `%${JSON.stringify(query.category).replace(/[%_]/g, '')}%`);
  }
  if (query.q) {
    const pattern = `%${query.q.toLowerCase().replace(/[%_\\]/g, '')}%`;
    q = q.where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['title']), 'like', pattern),
        eb(eb.fn('lower', ['id']), 'like', pattern),
        eb(eb.fn('lower', ['brand']), 'like', pattern),
      ]),
    );
  }
  const rows = await q
    .orderBy('id')
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  let items = page.map(rowToItem);
  // The LIKE above is a prefilter; keep only exact category matches.
  if (query.category) items = items.filter((i) => i.categories.includes(query.category!));
  return {
    items,
    nextCursor: rows.length > query.limit ? page[page.length - 1]!.id : null,
  };
}

/** Soft delete: history (changes, events) keeps referring to the id. */
export async function deleteItem(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  now: number,
): Promise<boolean> {
  const res = await db
    .updateTable('catalog_items')
    .set((eb) => ({
      deleted_at: now,
      updated_at: eb
        .case()
        .when('updated_at', '>=', now)
        .then(eb('updated_at', '+', 1))
        .else(now)
        .end(),
    }))
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export async function allItems(db: Kysely<Database>, workspaceId: string): Promise<CatalogItem[]> {
  const rows = await db
    .selectFrom('catalog_items')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .execute();
  return rows.map(rowToItem);
}

/**
 * Changes whenever an item is added, updated or deleted (every write moves the item's
 * `updated_at` forward, deletes included), for a cheap "has the catalog changed?" check.
 */
export async function catalogSignature(db: Kysely<Database>, workspaceId: string): Promise<string> {
  const row = await db
    .selectFrom('catalog_items')
    .select((eb) => [
      eb.fn.countAll<number | string>().as('n'),
      eb.fn.sum<number | string | null>('updated_at').as('stamps'),
    ])
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirstOrThrow();
  return `${Number(row.n)}:${String(row.stamps ?? 0)}`;
}

export interface CatalogChange {
  id: number;
  itemId: string;
  field: string;
  oldValue: string | null;
  newValue: string | null;
  at: number;
}

/** The id of the newest change, 0 when there is none: a new reader starts after it. */
export async function latestChangeId(db: Kysely<Database>, workspaceId: string): Promise<number> {
  const r = await db
    .selectFrom('catalog_changes')
    .select((eb) => eb.fn.max<number | string | null>('id').as('m'))
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return Number(r?.m ?? 0);
}

export async function changesSince(
  db: Kysely<Database>,
  workspaceId: string,
  afterId: number,
  limit = 1000,
): Promise<CatalogChange[]> {
  const rows = await db
    .selectFrom('catalog_changes')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    itemId: r.item_id,
    field: r.field,
    oldValue: r.old_value,
    newValue: r.new_value,
    at: r.at,
  }));
}
