import { z } from 'zod';
import { eventsPerMinute } from '../../ingest/index.js';
import { journeyCountsByStatus } from '../../journeys/index.js';
import { messageCountsByStatus } from '../../messaging/index.js';
import { countProfiles, pipelineBacklog } from '../../profiles/index.js';
import type { AppContext } from '../context.js';
import { defineRoute, type RouteDef } from '../route.js';

const OverviewQuery = z.object({
  /** How many minutes of the event rate to return, the current one last. */
  minutes: z.coerce.number().int().min(1).max(1440).default(60),
});

const Overview = z.object({
  at: z.string(),
  events: z.object({
    /** The start of the first minute counted. */
    from: z.string(),
    perMinute: z.array(z.number().int()),
  }),
  profiles: z.number().int(),
  journeys: z.record(z.string(), z.number().int()).describe('journeys by status'),
  messages: z.record(z.string(), z.number().int()).describe('messages by status'),
  pipeline: z.object({
    pending: z.number().int().describe('events not yet folded into profiles'),
    lagSeconds: z
      .number()
      .describe('how long the oldest waiting event has waited; 0 when none waits'),
  }),
});

export function overviewRoutes(ctx: AppContext): RouteDef[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/stats/overview',
      summary: 'The workspace at a glance: event rate, people, journeys, messages, pipeline lag',
      tag: 'stats',
      auth: 'read',
      query: OverviewQuery,
      responses: { 200: Overview },
      handler: async ({ query, principal }) => {
        const db = ctx.store.db;
        const ws = principal.workspaceId;
        const now = ctx.clock.now();
        const events = await eventsPerMinute(db, ws, now, query.minutes);
        const backlog = await pipelineBacklog(db, ws);
        const lag = backlog.oldestReceivedAt === null ? 0 : now - backlog.oldestReceivedAt;
        return {
          at: new Date(now).toISOString(),
          events: { from: new Date(events.start).toISOString(), perMinute: events.counts },
          profiles: await countProfiles(db, ws),
          journeys: await journeyCountsByStatus(db, ws),
          messages: await messageCountsByStatus(db, ws),
          pipeline: { pending: backlog.pending, lagSeconds: Math.max(0, lag) / 1000 },
        };
      },
    }),
  ];
}
