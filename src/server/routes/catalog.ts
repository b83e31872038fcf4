import { z } from 'zod';
import {
  CatalogItem,
  deleteItem,
  getItem,
  ItemPage,
  ItemQuery,
  listItems,
  UpsertItems,
  UpsertResult,
  upsertItems,
} from '../../catalog/index.js';
import { NotFoundError } from '../../shared/index.js';
import { withTransaction } from '../../store/index.js';
import type { AppContext } from '../context.js';
import { defineRoute, type RouteDef } from '../route.js';

const ItemParams = z.object({ id: z.string().min(1).max(256) });

export function catalogRoutes(ctx: AppContext): RouteDef[] {
  return [
    defineRoute({
      method: 'PUT',
      url: '/v1/catalog/items',
      summary: 'Create or update up to 1,000 items; absent fields are kept, null clears',
      tag: 'catalog',
      auth: 'write',
      body: UpsertItems,
      responses: { 200: UpsertResult },
      handler: ({ body, principal }) =>
        withTransaction(ctx.store, (tx) =>
          upsertItems(tx, principal.workspaceId, body.items, ctx.clock.now()),
        ),
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/catalog/items/:id',
      summary: 'One catalog item',
      tag: 'catalog',
      auth: 'read',
      params: ItemParams,
      responses: { 200: CatalogItem, 404: z.unknown() },
      handler: async ({ params, principal }) => {
        const item = await getItem(ctx.store.db, principal.workspaceId, params.id);
        if (!item) throw new NotFoundError(`No catalog item "${params.id}".`);
        return item;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/catalog/items',
      summary: 'List or search items by category, brand, stock or text',
      tag: 'catalog',
      auth: 'read',
      query: ItemQuery,
      responses: { 200: ItemPage },
      handler: ({ query, principal }) => listItems(ctx.store.db, principal.workspaceId, query),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/catalog/items/:id',
      summary: 'Remove an item from the catalog',
      tag: 'catalog',
      auth: 'write',
      params: ItemParams,
      responses: { 204: z.null(), 404: z.unknown() },
      handler: async ({ params, principal, reply }) => {
        const gone = await deleteItem(
          ctx.store.db,
          principal.workspaceId,
          params.id,
          ctx.clock.now(),
        );
        if (!gone) throw new NotFoundError(`No catalog item "${params.id}".`);
        reply.code(204);
        return null;
      },
    }),
  ];
}
