import type { AppContext } from '../context.js';
import type { RouteDef } from '../route.js';
import { adminRoutes } from './admin.js';
import { auditRoutes } from './audit.js';
import { catalogRoutes } from './catalog.js';
import { channelRoutes } from './channels.js';
import { publicRoutes } from './public-pages.js';
import { journeyRoutes } from './journeys.js';
import { keyRoutes } from './keys.js';
import { privacyRoutes } from './privacy.js';
import { profileRoutes } from './profiles.js';
import { recommendationRoutes } from './recommendations.js';
import { segmentRoutes } from './segments.js';
import { eventRoutes } from './events.js';
import { ingestRoutes } from './ingest.js';
import { systemRoutes } from './system.js';
import { webhookRoutes } from './webhooks.js';
import { workspaceRoutes } from './workspaces.js';

/** Every route of the API, in the order the OpenAPI document lists them. */
export function allRoutes(ctx: AppContext): RouteDef[] {
  const routes: RouteDef[] = [];
  routes.push(
    ...systemRoutes(ctx, () => routes),
    ...ingestRoutes(ctx),
    ...eventRoutes(ctx),
    ...profileRoutes(ctx),
    ...privacyRoutes(ctx),
    ...segmentRoutes(ctx),
    ...journeyRoutes(ctx),
    ...catalogRoutes(ctx),
    ...recommendationRoutes(ctx),
    ...channelRoutes(ctx),
    ...publicRoutes(ctx),
    ...keyRoutes(ctx),
    ...adminRoutes(ctx),
    ...auditRoutes(ctx),
    ...webhookRoutes(ctx),
    ...workspaceRoutes(ctx),
  );
  return routes;
}
