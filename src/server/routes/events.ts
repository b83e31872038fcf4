import { EventFilter, EventPage, listEvents } from '../../ingest/index.js';
import type { AppContext } from '../context.js';
import { defineRoute, type RouteDef } from '../route.js';

export function eventRoutes(ctx: AppContext): RouteDef[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/events',
      summary: 'Read the event log, newest first, cursor-paged',
      tag: 'events',
      auth: 'read',
      query: EventFilter,
      responses: { 200: EventPage },
      handler: ({ query, principal }) => listEvents(ctx.store.db, principal.workspaceId, query),
    }),
  ];
}
