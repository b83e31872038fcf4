import type { AppContext } from '../context.js';
import type { RouteDef } from '../route.js';
import { adminRoutes } from './admin.js';
import { auditRoutes } from './audit.js';
import { catalogRoutes } from './catalog.js';
import { channelRoutes } from './channels.js';
import { emailCheckRoutes } from './email-checks.js';
import { publicRoutes } from './public-pages.js';
import { journeyRoutes } from './journeys.js';
import { keyRoutes } from './keys.js';
import { privacyRoutes } from './privacy.js';
import { profileRoutes } from './profiles.js';
import { traceRoutes } from './trace.js';
import { recommendationRoutes } from './recommendations.js';
import { onsiteScriptRoutes } from './onsite-script.js';
import { sdkRoutes } from './sdk.js';
import { segmentRoutes } from './segments.js';
import { decisionRoutes } from './decisions.js';
import { eventRoutes } from './events.js';
import { overviewRoutes } from './overview.js';
import { sessionRoutes } from './session.js';
import { experimentRoutes } from './experiments.js';
import { upliftRoutes } from './uplift.js';
import { ingestRoutes } from './ingest.js';
import { identityRoutes } from './identity.js';
import { systemRoutes } from './system.js';
import { webhookRoutes } from './webhooks.js';
import { workspaceRoutes } from './workspaces.js';

/** Every route of the API, in the order the OpenAPI document lists them. */
export function allRoutes(ctx: AppContext): RouteDef[] {
  const routes: RouteDef[] = [];
  routes.push(
    ...systemRoutes(ctx, () => routes),
    ...ingestRoutes(ctx),
    ...sdkRoutes(ctx),
    ...eventRoutes(ctx),
    ...overviewRoutes(ctx),
    ...profileRoutes(ctx),
    ...traceRoutes(ctx),
    ...privacyRoutes(ctx),
    ...segmentRoutes(ctx),
    ...journeyRoutes(ctx),
    ...experimentRoutes(ctx),
    ...upliftRoutes(ctx),
    ...catalogRoutes(ctx),
    ...recommendationRoutes(ctx),
    ...decisionRoutes(ctx),
    ...channelRoutes(ctx),
    ...emailCheckRoutes(ctx),
    ...publicRoutes(ctx),
    ...onsiteScriptRoutes(ctx),
    ...sessionRoutes(ctx),
    ...keyRoutes(ctx),
    ...adminRoutes(ctx),
    ...auditRoutes(ctx),
    ...webhookRoutes(ctx),
    ...identityRoutes(ctx),
    ...workspaceRoutes(ctx),
  );
  return routes;
}
